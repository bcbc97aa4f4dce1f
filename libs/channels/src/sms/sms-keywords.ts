/**
 * The replies that opt a number out of, or back into, SMS (docs/decisions/0037).
 * Carriers and Twilio act on the same words at the number level; Clarion acts
 * on them too, so the supporter's record agrees with what the network enforces.
 */
const OPT_OUT = [
  // Twilio's and the CTIA's English set.
  'STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE',
  // French (ARRÊT is read as ARRET), Spanish, Portuguese, German.
  'ARRET', 'ARRETER', 'DESABONNER', 'DESINSCRIRE',
  'PARAR', 'ALTO', 'BAJA', 'CANCELAR',
  'SAIR', 'PARE',
  'STOPP',
];
const OPT_IN = ['START', 'UNSTOP'];

export type SmsKeyword = 'opt-out' | 'opt-in';

/** Whole replies only: "stop" and " Arrêt! " are keywords, "please don't stop" is not. */
export function smsKeyword(body: string): SmsKeyword | undefined {
  const word = body
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s\p{P}]/gu, '')
    .toUpperCase();
  if (OPT_OUT.includes(word)) return 'opt-out';
  if (OPT_IN.includes(word)) return 'opt-in';
  return undefined;
}
