/** The name an erased account keeps (RGPD erasure): the person's own name is gone. */
export const ERASED_ACCOUNT_NAME = 'Compte effacé';

// Who is erased is known to the kernel too: the journal and every record's history name such an account without its placeholder address.
export { erasedEmailOf, isErasedAccount } from '../../kernel/auth/erased.js';
