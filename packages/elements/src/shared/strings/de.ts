import type { TotpStrings } from './en.js';

/** German texts (Sie-Form). */
export const de: TotpStrings = {
  loading: 'Wird geladen …',
  retry: 'Erneut versuchen',
  continue: 'Weiter',
  cancel: 'Abbrechen',
  done: 'Fertig',

  codeLabel: 'Code aus Ihrer Authenticator-App',
  codeHint: (digits) => `Geben Sie den ${digits}-stelligen Code ein, den Ihre App gerade anzeigt.`,
  recoveryLabel: 'Wiederherstellungscode',
  recoveryHint: 'Geben Sie einen Ihrer unbenutzten Wiederherstellungscodes ein, z. B. xxxxx-xxxxx.',
  useRecovery: 'Stattdessen einen Wiederherstellungscode verwenden',
  useApp: 'Stattdessen die Authenticator-App verwenden',

  codeFormat: (digits) => `Geben Sie die ${digits} Ziffern aus Ihrer App ein.`,
  recoveryFormat: 'Geben Sie einen Wiederherstellungscode ein, z. B. xxxxx-xxxxx.',
  invalidCode: 'Dieser Code hat nicht funktioniert. Prüfen Sie Ihre App und versuchen Sie es erneut.',
  invalidRecovery: 'Dieser Wiederherstellungscode hat nicht funktioniert. Prüfen Sie ihn und versuchen Sie es erneut.',
  rateLimited: 'Zu viele Versuche.',
  retryIn: (time) => `Sie können es in ${time} erneut versuchen.`,
  retryNow: 'Sie können es jetzt erneut versuchen.',
  networkError: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  unavailable: 'Der Dienst ist gerade nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.',
  unauthenticated: 'Sie sind abgemeldet. Melden Sie sich an und versuchen Sie es erneut.',
  invalidResponse: 'Der Server hat eine Antwort gesendet, die diese Seite nicht versteht.',
  genericError: 'Etwas ist schiefgelaufen.',
  reauthenticate: 'Melden Sie sich zu Ihrer Sicherheit erneut an, um fortzufahren.',
  signIn: 'Erneut anmelden',

  copy: 'Kopieren',
  copied: 'Kopiert',
  copyFailed: 'Kopieren fehlgeschlagen. Markieren Sie den Text und kopieren Sie ihn von Hand.',

  setupTitle: 'Zwei-Faktor-Authentifizierung einrichten',
  scan: 'Scannen Sie diesen QR-Code mit Ihrer Authenticator-App.',
  qrAlt: (issuer) => `QR-Code für ${issuer}`,
  qrFailed: 'Der QR-Code kann nicht angezeigt werden. Geben Sie stattdessen den Schlüssel unten ein.',
  account: (account, issuer) => `Konto: ${account} (${issuer})`,
  cantScan: 'Code lässt sich nicht scannen?',
  keyHint: 'Geben Sie stattdessen diesen Schlüssel in Ihrer App ein. Wählen Sie einen zeitbasierten Code.',
  keyLabel: 'Einrichtungsschlüssel',
  keyDetails: (algorithm, digits, period) =>
    `Zeitbasiert, ${algorithm}, ${digits} Ziffern, alle ${period} s ein neuer Code.`,
  copyKey: 'Schlüssel kopieren',
  openApp: 'In der Authenticator-App öffnen',
  setupExpired:
    'Die Einrichtung ist abgelaufen. Entfernen Sie den alten Eintrag aus Ihrer App und scannen Sie diesen neuen Code.',
  activate: 'Aktivieren',
  alreadyActive: 'Die Zwei-Faktor-Authentifizierung ist bereits aktiviert.',
  activated: 'Die Zwei-Faktor-Authentifizierung ist aktiviert.',
  activeSince: (date) => `Aktiviert am ${date}.`,
  lastUsed: (date) => `Zuletzt verwendet am ${date}.`,

  // Soft hyphens (\u00ad) let the long compounds of headings break where a reader expects it.
  codesTitle: 'Speichern Sie Ihre Wiederherstellungs\u00adcodes',
  codesIntro:
    'Wenn Sie Ihr Telefon verlieren, meldet Sie jeder dieser Codes einmal an. Bewahren Sie sie sicher auf: Sie werden nur jetzt angezeigt.',
  copyCodes: 'Codes kopieren',
  download: 'Herunterladen',
  print: 'Drucken',
  saved: 'Ich habe diese Codes gespeichert',
  fileTitle: (issuer) => `Wiederherstellungscodes für ${issuer}`,
  fileNote: 'Jeder Code funktioniert nur einmal.',

  deactivateTitle: 'Zwei-Faktor-Authentifizierung deaktivieren',
  deactivateIntro:
    'Ihr Konto ist dann nur noch durch Ihr Passwort geschützt. Geben Sie zur Bestätigung einen Code ein.',
  deactivate: 'Deaktivieren',
  deactivated: 'Die Zwei-Faktor-Authentifizierung ist deaktiviert.',
  notActive: 'Die Zwei-Faktor-Authentifizierung ist nicht aktiviert.',
  deactivationForbidden: 'Für dieses Konto kann die Zwei-Faktor-Authentifizierung nicht deaktiviert werden.',

  verifyTitle: 'Zwei-Faktor-Authentifizierung',
  verify: 'Bestätigen',
  verified: 'Bestätigt.',
  trustBrowser: (days) => `In diesem Browser ${days} Tag${days === 1 ? '' : 'e'} lang nicht mehr fragen`,
  reauthenticateTitle: 'Bestätigen Sie, dass Sie es sind',
  reauthenticateCode: 'Bestätigen Sie zu Ihrer Sicherheit mit einem Code, dass Sie es sind, um fortzufahren.',
  confirm: 'Bestätigen',
  codesLow: (left) =>
    left === 0
      ? 'Sie haben keine Wiederherstellungscodes mehr. Erzeugen Sie jetzt neue.'
      : `Sie haben noch ${left} Wiederherstellungscode${left === 1 ? '' : 's'}. Erzeugen Sie bald neue.`,

  recoveryTitle: 'Wiederherstellungs\u00adcodes',
  codesLeft: (unused, total) => `${unused} von ${total} Wiederherstellungscodes unbenutzt.`,
  noCodes: 'Sie haben keine Wiederherstellungscodes.',
  regenerate: 'Neue Codes erzeugen',
  regenerateIntro: 'Ihre bisherigen Codes funktionieren dann nicht mehr. Geben Sie zur Bestätigung einen Code ein.',
  // <totp-trusted-browsers>
  browsersTitle: 'Vertrauens\u00adwürdige Browser',
  browsersIntro: 'Diese Browser überspringen den Code bei der Anmeldung, bis das Vertrauen abläuft.',
  browsersEmpty: 'Keine vertrauenswürdigen Browser.',
  browsersNotAvailable: 'Diese Website merkt sich keine vertrauenswürdigen Browser.',
  browsersThis: 'Dieser Browser',
  browsersAdded: (date) => `Hinzugefügt am ${date}`,
  browsersLastUsed: (date) => `zuletzt verwendet am ${date}`,
  browsersNeverUsed: 'seitdem nicht verwendet',
  browsersExpires: (date) => `läuft ab am ${date}`,
  browsersRevoke: 'Widerrufen',
  browsersRevokeLabel: (label) => `${label} widerrufen`,
  browsersRevokeAll: 'Alle widerrufen',
  browsersConfirmTitle: 'Alle vertrauenswürdigen Browser widerrufen?',
  browsersConfirm: (count) =>
    `${count === 1 ? 'Der vertrauenswürdige Browser fragt' : `Alle ${count} vertrauenswürdigen Browser fragen`} bei der nächsten Anmeldung nach einem Code.`,
  browsersRevoked: (label) => `${label} widerrufen.`,
  browsersAllRevoked: 'Alle vertrauenswürdigen Browser widerrufen.',
};
