import { MessagePattern } from '@nestjs/microservices';
import type { z } from 'zod';
import { requestContracts, type ReplyOf, type RequestSubject, type ValidRequestOf } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';

/** Metadata on a handler: the request subject it answers through RequestHandler. */
export const REQUEST_HANDLER_SUBJECT = 'clarion:request-handler-subject';

type Handler<S extends RequestSubject> = (request: ValidRequestOf<S>) => ReplyOf<S> | Promise<ReplyOf<S>>;

/**
 * Answers one request subject, typed and checked by its entry in
 * requestContracts: registers the NATS pattern, validates the payload
 * against the request schema (Invalid naming the first bad field, which the
 * gateway answers as 400 with `field`), and hands the handler the parsed
 * request. A handler whose argument or return does not fit the contract does
 * not compile.
 *
 * The CallerGuard (a global guard) has verified the caller assertion and put
 * the signed `actor` in the payload before this runs: Nest calls guards
 * before the handler, and the validation lives inside the handler.
 */
export function RequestHandler<S extends RequestSubject>(subject: S) {
  const schema = requestContracts[subject].request as z.ZodType;
  return <H extends Handler<S>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): TypedPropertyDescriptor<H> => {
    const handler = descriptor.value;
    if (!handler) throw new Error(`@RequestHandler(${subject}) belongs on a method`);
    const validating = function (this: unknown, payload: unknown) {
      return handler.call(this, parseInput(schema, payload) as ValidRequestOf<S>);
    };
    // Metadata set on the method by decorators applied before this one (guards, interceptors) stays with it.
    for (const metadataKey of Reflect.getMetadataKeys(handler)) {
      Reflect.defineMetadata(metadataKey, Reflect.getMetadata(metadataKey, handler), validating);
    }
    Object.defineProperty(validating, 'name', { value: handler.name });
    Reflect.defineMetadata(REQUEST_HANDLER_SUBJECT, subject, validating);
    descriptor.value = validating as unknown as H;
    return MessagePattern(subject)(target, key, descriptor) as TypedPropertyDescriptor<H>;
  };
}
