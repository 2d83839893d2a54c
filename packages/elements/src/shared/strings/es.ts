import type { TotpStrings } from './en.js';

/** Spanish texts (usted). */
export const es: TotpStrings = {
  loading: 'Cargando…',
  retry: 'Reintentar',
  continue: 'Continuar',
  cancel: 'Cancelar',
  done: 'Listo',

  codeLabel: 'Código de su aplicación de autenticación',
  codeHint: (digits) => `Introduzca el código de ${digits} dígitos que muestra ahora su aplicación.`,
  recoveryLabel: 'Código de recuperación',
  recoveryHint: 'Introduzca uno de sus códigos de recuperación sin usar, como xxxxx-xxxxx.',
  useRecovery: 'Usar un código de recuperación',
  useApp: 'Usar la aplicación de autenticación',

  codeFormat: (digits) => `Introduzca los ${digits} dígitos de su aplicación.`,
  recoveryFormat: 'Introduzca un código de recuperación, como xxxxx-xxxxx.',
  invalidCode: 'Ese código no ha funcionado. Compruebe su aplicación e inténtelo de nuevo.',
  invalidRecovery: 'Ese código de recuperación no ha funcionado. Compruébelo e inténtelo de nuevo.',
  rateLimited: 'Demasiados intentos.',
  retryIn: (time) => `Podrá volver a intentarlo en ${time}.`,
  retryNow: 'Ya puede volver a intentarlo.',
  networkError: 'No se ha podido contactar con el servidor. Compruebe su conexión e inténtelo de nuevo.',
  unavailable: 'El servicio no está disponible en este momento. Inténtelo de nuevo en un momento.',
  unauthenticated: 'Ha cerrado la sesión. Inicie sesión e inténtelo de nuevo.',
  invalidResponse: 'El servidor ha enviado una respuesta que esta página no entiende.',
  genericError: 'Algo ha salido mal.',
  reauthenticate: 'Por su seguridad, vuelva a iniciar sesión para continuar.',
  signIn: 'Volver a iniciar sesión',

  copy: 'Copiar',
  copied: 'Copiado',
  copyFailed: 'No se ha podido copiar. Seleccione el texto y cópielo a mano.',

  setupTitle: 'Configurar la autenticación en dos pasos',
  scan: 'Escanee este código QR con su aplicación de autenticación.',
  qrAlt: (issuer) => `Código QR para ${issuer}`,
  qrFailed: 'No se puede mostrar el código QR. Introduzca la clave de abajo.',
  account: (account, issuer) => `Cuenta: ${account} (${issuer})`,
  cantScan: '¿No puede escanear el código?',
  keyHint: 'Introduzca esta clave en su aplicación. Elija un código basado en el tiempo.',
  keyLabel: 'Clave de configuración',
  keyDetails: (algorithm, digits, period) =>
    `Basado en el tiempo, ${algorithm}, ${digits} dígitos, un código nuevo cada ${period} s.`,
  copyKey: 'Copiar clave',
  openApp: 'Abrir en la aplicación de autenticación',
  setupExpired:
    'La configuración ha caducado. Elimine la entrada antigua de su aplicación y escanee este nuevo código.',
  activate: 'Activar',
  alreadyActive: 'La autenticación en dos pasos ya está activada.',
  activated: 'La autenticación en dos pasos está activada.',
  activeSince: (date) => `Activada el ${date}.`,
  lastUsed: (date) => `Último uso: ${date}.`,

  codesTitle: 'Guarde sus códigos de recuperación',
  codesIntro:
    'Si pierde su teléfono, cada uno de estos códigos le permite iniciar sesión una vez. Guárdelos en un lugar seguro: solo se muestran ahora.',
  copyCodes: 'Copiar códigos',
  download: 'Descargar',
  print: 'Imprimir',
  saved: 'He guardado estos códigos',
  fileTitle: (issuer) => `Códigos de recuperación para ${issuer}`,
  fileNote: 'Cada código funciona una sola vez.',

  deactivateTitle: 'Desactivar la autenticación en dos pasos',
  deactivateIntro: 'Su cuenta quedará protegida solo por su contraseña. Introduzca un código para confirmar.',
  deactivate: 'Desactivar',
  deactivated: 'La autenticación en dos pasos está desactivada.',
  notActive: 'La autenticación en dos pasos no está activada.',
  deactivationForbidden: 'La autenticación en dos pasos no se puede desactivar para esta cuenta.',

  verifyTitle: 'Autenticación en dos pasos',
  verify: 'Verificar',
  verified: 'Verificado.',
  trustBrowser: (days) => `No volver a preguntar en este navegador durante ${days} día${days === 1 ? '' : 's'}`,
  reauthenticateTitle: 'Confirme que es usted',
  reauthenticateCode: 'Por su seguridad, confirme con un código que es usted para continuar.',
  confirm: 'Confirmar',
  codesLow: (left) =>
    left === 0
      ? 'No le quedan códigos de recuperación. Genere nuevos ahora.'
      : `Le queda${left === 1 ? '' : 'n'} ${left} código${left === 1 ? '' : 's'} de recuperación. Genere nuevos pronto.`,

  recoveryTitle: 'Códigos de recuperación',
  codesLeft: (unused, total) => `${unused} de ${total} códigos de recuperación sin usar.`,
  noCodes: 'No tiene códigos de recuperación.',
  regenerate: 'Generar nuevos códigos',
  regenerateIntro: 'Sus códigos actuales dejarán de funcionar. Introduzca un código para confirmar.',
  // <totp-trusted-browsers>
  browsersTitle: 'Navegadores de confianza',
  browsersIntro: 'Estos navegadores no piden el código al iniciar sesión hasta que caduque su confianza.',
  browsersEmpty: 'No hay navegadores de confianza.',
  browsersNotAvailable: 'Este sitio no recuerda navegadores de confianza.',
  browsersThis: 'Este navegador',
  browsersAdded: (date) => `Añadido el ${date}`,
  browsersLastUsed: (date) => `usado el ${date}`,
  browsersNeverUsed: 'sin usar desde entonces',
  browsersExpires: (date) => `caduca el ${date}`,
  browsersRevoke: 'Revocar',
  browsersRevokeLabel: (label) => `Revocar ${label}`,
  browsersRevokeAll: 'Revocar todos',
  browsersConfirmTitle: '¿Revocar todos los navegadores de confianza?',
  browsersConfirm: (count) =>
    `${count === 1 ? 'El navegador de confianza pedirá' : `Los ${count} navegadores de confianza pedirán`} un código en el próximo inicio de sesión.`,
  browsersRevoked: (label) => `${label} revocado.`,
  browsersAllRevoked: 'Todos los navegadores de confianza revocados.',
};
