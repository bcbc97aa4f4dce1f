/**
 * Reads a Server-Sent Events body until it ends or its request is aborted,
 * calling `onData` with the parsed JSON of every frame of the named event.
 */
export async function readSseEvents(body: ReadableStream<Uint8Array>, event: string, onData: (data: unknown) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const isEvent = new RegExp(`^event: ${event}$`, 'm');
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!isEvent.test(frame)) continue;
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        onData(JSON.parse(data));
      }
    }
  } catch {
    // the request was aborted: the reader's owner closed the stream
  }
}
