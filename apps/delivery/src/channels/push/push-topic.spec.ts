import { pushTopic } from './push-topic';

describe('pushTopic', () => {
  it('is the delivery id in URL-safe base64, within RFC 8030’s 32 characters, the same every time', () => {
    const topic = pushTopic('64b0f3a1c2d3e4f5a6b7c8d9');
    expect(topic).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(pushTopic('64b0f3a1c2d3e4f5a6b7c8d9')).toBe(topic);
    expect(Buffer.from(topic, 'base64url').toString('hex')).toBe('64b0f3a1c2d3e4f5a6b7c8d9');
    // The URL-safe alphabet: no '/', '+' or '=' padding, which a push service would refuse.
    expect(pushTopic('ffffffffffffffffffffffff')).toBe('_'.repeat(16));
  });
});
