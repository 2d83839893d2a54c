import type { TotpStrings } from './en.js';

/** French texts (vouvoiement, with no-break spaces before high punctuation). */
export const fr: TotpStrings = {
  loading: 'Chargement…',
  retry: 'Réessayer',
  continue: 'Continuer',
  cancel: 'Annuler',
  done: 'Terminé',

  codeLabel: 'Code de votre application d’authentification',
  codeHint: (digits) => `Saisissez le code à ${digits} chiffres affiché par votre application.`,
  recoveryLabel: 'Code de récupération',
  recoveryHint: 'Saisissez l’un de vos codes de récupération inutilisés, par exemple xxxxx-xxxxx.',
  useRecovery: 'Utiliser plutôt un code de récupération',
  useApp: 'Utiliser plutôt votre application d’authentification',

  codeFormat: (digits) => `Saisissez les ${digits} chiffres de votre application.`,
  recoveryFormat: 'Saisissez un code de récupération, par exemple xxxxx-xxxxx.',
  invalidCode: 'Ce code n’a pas fonctionné. Vérifiez votre application et réessayez.',
  invalidRecovery: 'Ce code de récupération n’a pas fonctionné. Vérifiez-le et réessayez.',
  rateLimited: 'Trop de tentatives.',
  retryIn: (time) => `Vous pourrez réessayer dans ${time}.`,
  retryNow: 'Vous pouvez réessayer maintenant.',
  networkError: 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
  unavailable: 'Le service est momentanément indisponible. Réessayez dans un instant.',
  unauthenticated: 'Vous êtes déconnecté. Connectez-vous et réessayez.',
  invalidResponse: 'Le serveur a envoyé une réponse que cette page ne comprend pas.',
  genericError: 'Une erreur s’est produite.',
  reauthenticate: 'Pour votre sécurité, reconnectez-vous pour continuer.',
  signIn: 'Se reconnecter',

  copy: 'Copier',
  copied: 'Copié',
  copyFailed: 'Copie impossible. Sélectionnez le texte et copiez-le vous-même.',

  setupTitle: 'Configurer l’authentification à deux facteurs',
  scan: 'Scannez ce code QR avec votre application d’authentification.',
  qrAlt: (issuer) => `Code QR pour ${issuer}`,
  qrFailed: 'Le code QR ne peut pas être affiché. Saisissez plutôt la clé ci-dessous.',
  account: (account, issuer) => `Compte\u00a0: ${account} (${issuer})`,
  cantScan: 'Impossible de scanner le code\u00a0?',
  keyHint: 'Saisissez plutôt cette clé dans votre application. Choisissez un code basé sur l’heure.',
  keyLabel: 'Clé de configuration',
  keyDetails: (algorithm, digits, period) =>
    `Basé sur l’heure, ${algorithm}, ${digits} chiffres, nouveau code toutes les ${period}\u00a0s.`,
  copyKey: 'Copier la clé',
  openApp: 'Ouvrir dans l’application d’authentification',
  setupExpired:
    'La configuration a expiré. Supprimez l’ancienne entrée de votre application, puis scannez ce nouveau code.',
  activate: 'Activer',
  alreadyActive: 'L’authentification à deux facteurs est déjà activée.',
  activated: 'L’authentification à deux facteurs est activée.',
  activeSince: (date) => `Activée le ${date}.`,
  lastUsed: (date) => `Dernière utilisation le ${date}.`,

  codesTitle: 'Enregistrez vos codes de récupération',
  codesIntro:
    'Si vous perdez votre téléphone, chacun de ces codes vous connecte une fois. Conservez-les en lieu sûr\u00a0: ils ne sont affichés que maintenant.',
  copyCodes: 'Copier les codes',
  download: 'Télécharger',
  print: 'Imprimer',
  saved: 'J’ai enregistré ces codes',
  fileTitle: (issuer) => `Codes de récupération pour ${issuer}`,
  fileNote: 'Chaque code ne fonctionne qu’une fois.',

  deactivateTitle: 'Désactiver l’authentification à deux facteurs',
  deactivateIntro: 'Votre compte ne sera alors protégé que par votre mot de passe. Saisissez un code pour confirmer.',
  deactivate: 'Désactiver',
  deactivated: 'L’authentification à deux facteurs est désactivée.',
  notActive: 'L’authentification à deux facteurs n’est pas activée.',
  deactivationForbidden: 'L’authentification à deux facteurs ne peut pas être désactivée pour ce compte.',

  verifyTitle: 'Authentification à deux facteurs',
  verify: 'Vérifier',
  verified: 'Vérifié.',
  trustBrowser: (days) => `Ne plus demander sur ce navigateur pendant ${days} jour${days === 1 ? '' : 's'}`,
  reauthenticateTitle: 'Confirmez votre identité',
  reauthenticateCode: 'Pour votre sécurité, confirmez votre identité avec un code pour continuer.',
  confirm: 'Confirmer',
  codesLow: (left) =>
    left === 0
      ? 'Il ne vous reste aucun code de récupération. Générez-en de nouveaux maintenant.'
      : `Il vous reste ${left} code${left > 1 ? 's' : ''} de récupération. Générez-en de nouveaux bientôt.`,

  recoveryTitle: 'Codes de récupération',
  codesLeft: (unused, total) =>
    `${unused} code${unused > 1 ? 's' : ''} de récupération inutilisé${unused > 1 ? 's' : ''} sur ${total}.`,
  noCodes: 'Vous n’avez aucun code de récupération.',
  regenerate: 'Générer de nouveaux codes',
  regenerateIntro: 'Vos codes actuels cesseront de fonctionner. Saisissez un code pour confirmer.',
  // <totp-trusted-browsers>
  browsersTitle: 'Navigateurs de confiance',
  browsersIntro: 'Ces navigateurs ne demandent pas de code à la connexion tant que leur confiance n’a pas expiré.',
  browsersEmpty: 'Aucun navigateur de confiance.',
  browsersNotAvailable: 'Ce site ne mémorise pas les navigateurs de confiance.',
  browsersThis: 'Ce navigateur',
  browsersAdded: (date) => `Ajouté le ${date}`,
  browsersLastUsed: (date) => `utilisé le ${date}`,
  browsersNeverUsed: 'pas utilisé depuis',
  browsersExpires: (date) => `expire le ${date}`,
  browsersRevoke: 'Révoquer',
  browsersRevokeLabel: (label) => `Révoquer ${label}`,
  browsersRevokeAll: 'Tout révoquer',
  browsersConfirmTitle: 'Révoquer tous les navigateurs de confiance ?',
  browsersConfirm: (count) =>
    `${count === 1 ? 'Le navigateur de confiance demandera' : `Les ${count} navigateurs de confiance demanderont`} un code à la prochaine connexion.`,
  browsersRevoked: (label) => `${label} révoqué.`,
  browsersAllRevoked: 'Tous les navigateurs de confiance sont révoqués.',
};
