/**
 * Catalogue of the "this organisation may already exist" warning shown before a person creates an
 * organisation by hand (back office, public proposal, account request): French keys (source) and
 * their English translation.
 */
export const duplicateWarningFr = {
  'duplicateWarning.title': 'Cette structure existe peut-être déjà',
  'duplicateWarning.intro': 'Rien n’a été enregistré pour l’instant. Ces structures de l’annuaire ressemblent à celle que vous décrivez :',
  'duplicateWarning.reasons': 'Ressemblances : {reasons}',
  'duplicateWarning.visibility': 'visibilité : {visibility}',
  'duplicateWarning.requestAccess': 'Demander un accès pour gérer {name}',
  'duplicateWarning.publicPage': 'Fiche publique de {name}',
  'duplicateWarning.sameStaff': 'S’il s’agit de la même structure, ouvrez sa fiche et complétez-la plutôt que d’en créer une seconde.',
  'duplicateWarning.samePublic': 'S’il s’agit de la même structure, consultez sa fiche ; pour la mettre à jour, demandez un accès à son espace.',
  'duplicateWarning.otherLegend': 'Une structure différente ?',
  'duplicateWarning.confirm': 'Il s’agit d’une autre structure',
  'duplicateWarning.confirmHint': 'Cochez cette case puis validez de nouveau : vos saisies sont conservées.',
  'duplicateWarning.confirmRequired': 'Cochez « Il s’agit d’une autre structure » pour continuer, ou ouvrez la fiche de la structure existante.',
  'duplicateWarning.submit.create': 'Créer une nouvelle structure',
  'duplicateWarning.submit.save': 'Enregistrer malgré la ressemblance',
  'duplicateWarning.submit.propose': 'Envoyer ma proposition',
  'duplicateWarning.submit.request': 'Envoyer ma demande',
  'duplicateWarning.history.shown': 'Doublons possibles signalés (identifiants)',
  'duplicateWarning.history.names': 'Doublons possibles signalés',
} as const;

export const duplicateWarningEn: Record<keyof typeof duplicateWarningFr, string> = {
  'duplicateWarning.title': 'This organisation may already exist',
  'duplicateWarning.intro': 'Nothing has been saved yet. These organisations of the directory look like the one you describe:',
  'duplicateWarning.reasons': 'Similarities: {reasons}',
  'duplicateWarning.visibility': 'visibility: {visibility}',
  'duplicateWarning.requestAccess': 'Request access to manage {name}',
  'duplicateWarning.publicPage': 'Public page of {name}',
  'duplicateWarning.sameStaff': 'If it is the same organisation, open its record and complete it rather than creating a second one.',
  'duplicateWarning.samePublic': 'If it is the same organisation, look at its page; to update it, request access to its space.',
  'duplicateWarning.otherLegend': 'A different organisation?',
  'duplicateWarning.confirm': 'This is a different organisation',
  'duplicateWarning.confirmHint': 'Tick this box and submit again: what you typed is kept.',
  'duplicateWarning.confirmRequired': 'Tick “This is a different organisation” to continue, or open the existing organisation’s record.',
  'duplicateWarning.submit.create': 'Create a new organisation',
  'duplicateWarning.submit.save': 'Save despite the resemblance',
  'duplicateWarning.submit.propose': 'Send my proposal',
  'duplicateWarning.submit.request': 'Send my request',
  'duplicateWarning.history.shown': 'Possible duplicates shown (ids)',
  'duplicateWarning.history.names': 'Possible duplicates shown',
};
