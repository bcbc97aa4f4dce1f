/** The time as subscriptions sees it; a test puts its own clock here (SubscriptionsSeams.now) instead of waiting. */
export const SUBSCRIPTIONS_CLOCK = Symbol('SUBSCRIPTIONS_CLOCK');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
