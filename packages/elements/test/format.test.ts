import { expect } from '@open-wc/testing';
import { groupKey } from '../src/shared/format.js';

describe('groupKey', () => {
  it('splits a 32-character secret into eight groups of four', () => {
    expect(groupKey('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).to.equal('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  });

  it('drops whitespace and padding and upper-cases', () => {
    expect(groupKey(' jbsw y3dp==')).to.equal('JBSW Y3DP');
  });

  it('runs in a real browser', () => {
    expect(navigator.userAgent).to.contain('Chrome');
  });
});
