/** The words around an alert (footer, confirmation email), in the language the alert is shown in. */
export interface MessageStrings {
  viewInBrowser: string;
  unsubscribe: string;
  preferences: string;
  whyYouGetThis: (organisation: string) => string;
  confirmSubject: (organisation: string) => string;
  confirmRequest: (organisation: string) => string;
  confirmButton: string;
  confirmIgnore: string;
}

const en: MessageStrings = {
  viewInBrowser: 'View in your browser',
  unsubscribe: 'Unsubscribe',
  preferences: 'Preferences',
  whyYouGetThis: (org) => `You receive this because you signed up for alerts from ${org}.`,
  confirmSubject: (org) => `Confirm your alerts from ${org}`,
  confirmRequest: (org) => `Please confirm that you want to receive alerts from ${org} at this address.`,
  confirmButton: 'Confirm',
  confirmIgnore: 'If you did not sign up, ignore this email and you will receive nothing.',
};

const fr: MessageStrings = {
  viewInBrowser: 'Voir dans votre navigateur',
  unsubscribe: 'Se désabonner',
  preferences: 'Préférences',
  whyYouGetThis: (org) => `Vous recevez ce message parce que vous vous êtes inscrit aux alertes de ${org}.`,
  confirmSubject: (org) => `Confirmez vos alertes de ${org}`,
  confirmRequest: (org) => `Merci de confirmer que vous souhaitez recevoir les alertes de ${org} à cette adresse.`,
  confirmButton: 'Confirmer',
  confirmIgnore: 'Si vous ne vous êtes pas inscrit, ignorez ce message : vous ne recevrez rien.',
};

const es: MessageStrings = {
  viewInBrowser: 'Ver en el navegador',
  unsubscribe: 'Darse de baja',
  preferences: 'Preferencias',
  whyYouGetThis: (org) => `Recibes este mensaje porque te suscribiste a las alertas de ${org}.`,
  confirmSubject: (org) => `Confirma tus alertas de ${org}`,
  confirmRequest: (org) => `Confirma que quieres recibir las alertas de ${org} en esta dirección.`,
  confirmButton: 'Confirmar',
  confirmIgnore: 'Si no te suscribiste, ignora este correo y no recibirás nada.',
};

const pt: MessageStrings = {
  viewInBrowser: 'Ver no navegador',
  unsubscribe: 'Cancelar inscrição',
  preferences: 'Preferências',
  whyYouGetThis: (org) => `Você recebe esta mensagem porque se inscreveu nos alertas de ${org}.`,
  confirmSubject: (org) => `Confirme seus alertas de ${org}`,
  confirmRequest: (org) => `Confirme que deseja receber os alertas de ${org} neste endereço.`,
  confirmButton: 'Confirmar',
  confirmIgnore: 'Se você não se inscreveu, ignore este e-mail e não receberá nada.',
};

const byLanguage: Record<string, MessageStrings> = { en, fr, es, pt };

/** English where we have no translation yet. */
export function messageStrings(language: string): MessageStrings {
  return byLanguage[language] ?? en;
}
