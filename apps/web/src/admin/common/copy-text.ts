/**
 * Puts text on the clipboard: the Clipboard API where the page may use it (HTTPS or localhost),
 * else the older copy command on the selected field (a command centre's LAN often serves plain
 * HTTP). False when neither worked: the text is then selected for the person to copy.
 */
export async function copyText(text: string, field: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no focus, no permission): try the field.
    }
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
