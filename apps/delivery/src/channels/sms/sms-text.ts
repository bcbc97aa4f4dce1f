import { longestFit, measureSms, plainTypography } from '@clarion/channels';
import type { FollowUp, RelayContent } from '@clarion/contracts';
import type { AlertContent } from '../../rendering/alert-content';
import { followUpStrings } from '../../rendering/follow-up-strings';
import { oneLine } from '../../rendering/html-text';
import { smsStrings } from './sms-strings';

/** An organisation's name is shown whole up to this; the title gets what room the cap leaves. */
const ORG_NAME_MAX = 40;
const TITLE_MAX = 300;
const CUT = '...';

/**
 * The text of an alert, an update or a withdrawal: who sends it, the title,
 * the link, how to opt out. Nothing per recipient (STOP replaces the
 * unsubscribe link), so it is rendered once per relay and language. Plain
 * typography keeps it in GSM-7 where the language allows; the title is cut
 * to keep the text within `maxSegments` parts, the rest is never cut.
 */
export function alertSms(relay: RelayContent, content: AlertContent, link: string, followUp: FollowUp | undefined, maxSegments: number): string {
  const org = plainTypography(oneLine(relay.org.name, ORG_NAME_MAX));
  const follow = followUpStrings(content.language);
  const { optOut } = smsStrings(content.language);
  const compose =
    followUp?.kind === 'retraction'
      ? (title: string) => `${follow.retractionPrefix}: ${title}\n${plainTypography(follow.retraction(org))}\n${link}\n${optOut}`
      : (title: string) => `${org}: ${followUp?.kind === 'update' ? `${follow.updatePrefix}: ` : ''}${title}\n${link}\n${optOut}`;
  return withinSegments(plainTypography(oneLine(content.title, TITLE_MAX)), compose, maxSegments, relay.relayId);
}

/** The text carrying a double opt-in code: one part in GSM-7 languages, two at most in the others. */
export function optInCodeSms(organisation: string, code: string, language: string, expiresInMinutes: number): string {
  return smsStrings(language).code(plainTypography(oneLine(organisation, ORG_NAME_MAX)), code, expiresInMinutes);
}

function withinSegments(title: string, compose: (title: string) => string, maxSegments: number, relayId: string): string {
  const fits = (text: string) => measureSms(text).segments <= maxSegments;
  if (fits(compose(title))) return compose(title);
  if (!fits(compose(CUT))) {
    throw new Error(`the SMS for relay ${relayId} cannot fit in ${maxSegments} parts even without its title: raise the cap or shorten PUBLIC_BASE_URL`);
  }
  const kept = longestFit(title, (prefix) => fits(compose(`${prefix.trimEnd()}${CUT}`)));
  return compose(`${kept.trimEnd()}${CUT}`);
}
