// A strict TypeScript browser project, compiled by packaging/test/install-from-tarballs.test.ts
// (lib ES2022 + DOM) under module nodenext and under moduleResolution bundler.
import '@totpkit/elements';
import type { TotpActivate } from '@totpkit/elements/bundle';
import { TotpVerify } from '@totpkit/elements/totp-verify';
import { checkResponse } from '@totpkit/protocol/check';

const activate: TotpActivate = document.createElement('totp-activate');
activate.endpoint = '/mfa';
activate.addEventListener('totp-activated', (event) => console.log(event.detail));
document.body.append(activate, new TotpVerify());

const checked = checkResponse('status', { totp: null });
export const problem: string | null = checked.ok ? null : checked.problem;
