/**
 * Text that came from outside (Packer, provisioners, the cloud, files, presets) made safe
 * to show: terminal control sequences and control characters removed, so nothing from
 * outside can retitle the terminal, move the cursor or hide a line. Our own colours are
 * added after this, around text that went through it.
 */

// ESC-introduced sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC
// (ESC P|X|^|_ … ST), and two-character escapes; plus their 8-bit C1 forms.
const SEQUENCES =
	/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[ -/]*[0-~]?|\u009B[0-?]*[ -/]*[@-~]|\u009D[^\u0007\u009C]*[\u0007\u009C]?/g;
// Every other control character but tab and line feed.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Quick test: anything to remove at all?
const ANY = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** `text` without terminal sequences and control characters (tab and line feed kept). */
export function printable(text: string): string {
	if (!ANY.test(text)) return text;
	return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}

/** Whether a value holds a control character (tab, CR, LF and ESC included). */
export function hasControlCharacters(value: string): boolean {
	return /[\u0000-\u001F\u007F-\u009F]/.test(value);
}

/** A value shown in a message: printable, and cut when long, saying how long it was. */
export function excerpt(value: string, max = 60): string {
	const clean = printable(value);
	return clean.length <= max ? clean : `${clean.slice(0, max)}… (${value.length} characters)`;
}
