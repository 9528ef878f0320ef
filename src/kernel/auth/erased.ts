/** The unique address an erased account keeps (RGPD erasure): the reserved `.invalid` domain never receives mail. */
export function erasedEmailOf(userId: string): string {
  return `efface-${userId}@invalid`;
}

/** An account whose identity was erased: nothing can reactivate it or write to it again. */
export function isErasedAccount(user: { id: string; email_lower: string }): boolean {
  return user.email_lower === erasedEmailOf(user.id).toLowerCase();
}
