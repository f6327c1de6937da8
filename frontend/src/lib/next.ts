/** Where to go after signing in: a path of this app only (never another site). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/signin") || next.startsWith("/signup")) return "/";
  return next;
}
