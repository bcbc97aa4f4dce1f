/** The words a follow-up adds to an alert: an update's marker, and the retraction's short notice. */
export interface FollowUpStrings {
  updatePrefix: string;
  updateNotice: string;
  retractionPrefix: string;
  retraction: (organisation: string) => string;
  reason: string;
}

const byLanguage: Record<string, FollowUpStrings> = {
  en: {
    updatePrefix: 'Update',
    updateNotice: 'This message corrects the alert you received earlier.',
    retractionPrefix: 'Withdrawn',
    retraction: (org) => `${org} has withdrawn this call to action. Please disregard the earlier message.`,
    reason: 'Reason',
  },
  fr: {
    updatePrefix: 'Mise à jour',
    updateNotice: 'Ce message corrige l’alerte reçue précédemment.',
    retractionPrefix: 'Retiré',
    retraction: (org) => `${org} a retiré cet appel à l’action. Merci de ne pas tenir compte du message précédent.`,
    reason: 'Motif',
  },
  es: {
    updatePrefix: 'Actualización',
    updateNotice: 'Este mensaje corrige la alerta que recibiste antes.',
    retractionPrefix: 'Retirado',
    retraction: (org) => `${org} ha retirado este llamado a la acción. Por favor, ignora el mensaje anterior.`,
    reason: 'Motivo',
  },
  pt: {
    updatePrefix: 'Atualização',
    updateNotice: 'Esta mensagem corrige o alerta que você recebeu antes.',
    retractionPrefix: 'Retirado',
    retraction: (org) => `${org} retirou este chamado à ação. Por favor, desconsidere a mensagem anterior.`,
    reason: 'Motivo',
  },
  sw: {
    updatePrefix: 'Sasisho',
    updateNotice: 'Ujumbe huu unasahihisha tahadhari uliyopokea awali.',
    retractionPrefix: 'Imeondolewa',
    retraction: (org) => `${org} imeondoa wito huu wa kuchukua hatua. Tafadhali puuza ujumbe uliotangulia.`,
    reason: 'Sababu',
  },
};

/** English where we have no translation yet. */
export function followUpStrings(language: string): FollowUpStrings {
  return byLanguage[language] ?? byLanguage.en;
}
