/**
 * The words only texts have, in the supporter's language. STOP stays STOP in
 * every language: it is the keyword carriers and providers act on. Written
 * within GSM-7 where the language allows, so a text is not billed as UCS-2 for
 * a notice alone.
 */
export interface SmsStrings {
  optOut: string;
  code: (organisation: string, code: string, minutes: number) => string;
}

const byLanguage: Record<string, SmsStrings> = {
  en: {
    optOut: 'Reply STOP to opt out',
    code: (org, code, minutes) => `${org}: your confirmation code is ${code}. It expires in ${minutes} minutes.`,
  },
  fr: {
    optOut: 'STOP pour vous désabonner',
    code: (org, code, minutes) => `${org} : votre code de confirmation est ${code}. Il expire dans ${minutes} minutes.`,
  },
  es: {
    optOut: 'Responde STOP para darte de baja',
    code: (org, code, minutes) => `${org}: tu código de confirmación es ${code}. Caduca en ${minutes} minutos.`,
  },
  pt: {
    optOut: 'Responda STOP para sair',
    code: (org, code, minutes) => `${org}: seu código de confirmação é ${code}. Expira em ${minutes} minutos.`,
  },
  sw: {
    optOut: 'Jibu STOP kujiondoa',
    code: (org, code, minutes) => `${org}: nambari yako ya uthibitisho ni ${code}. Itaisha baada ya dakika ${minutes}.`,
  },
};

/** English where we have no translation yet; a regional language (pt-br) takes its base language's. */
export function smsStrings(language: string): SmsStrings {
  return byLanguage[language] ?? byLanguage[language.split('-')[0]] ?? byLanguage.en;
}
