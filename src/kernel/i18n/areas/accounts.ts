/** Catalogue of the accounts area (new strings; the older ones are in the core catalogue): French keys (source) and their English translation. */
export const accountsFr = {
  'accounts.invitation.label': 'Invitation',
  'accounts.invitation.queued': 'L’email d’invitation part : il est en cours d’envoi.',
  'accounts.invitation.retrying': 'L’email d’invitation n’est pas encore parti : nouvel essai le {date}.',
  'accounts.invitation.sent': 'Email d’invitation envoyé le {date}.',
  'accounts.invitation.failed': 'L’email d’invitation n’a pas pu être envoyé (dernier essai le {date}) : renvoyez l’invitation.',
  'accounts.invitation.accountCreated': 'Compte créé pour {email}.',
  'accounts.invitation.emailFailed': 'L’email d’invitation n’a pas pu être envoyé : renvoyez l’invitation depuis la page du compte.',
  'accounts.invitation.welcome': 'Bienvenue, {name} ! Votre compte est activé et vous êtes connecté·e.',
  'accounts.signedOut': 'Vous êtes déconnecté·e.',
};

export const accountsEn: Record<keyof typeof accountsFr, string> = {
  'accounts.invitation.label': 'Invitation',
  'accounts.invitation.queued': 'The invitation email is on its way: it is being sent.',
  'accounts.invitation.retrying': 'The invitation email has not gone yet: next attempt on {date}.',
  'accounts.invitation.sent': 'Invitation email sent on {date}.',
  'accounts.invitation.failed': 'The invitation email could not be sent (last attempt on {date}): send the invitation again.',
  'accounts.invitation.accountCreated': 'Account created for {email}.',
  'accounts.invitation.emailFailed': 'The invitation email could not be sent: send the invitation again from the account’s page.',
  'accounts.invitation.welcome': 'Welcome, {name}! Your account is active and you are signed in.',
  'accounts.signedOut': 'You are signed out.',
};
