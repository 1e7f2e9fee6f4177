// Sounds: a short beep for a citizen's phone, a two-tone chime before a spoken call on the display
// board, both made with WebAudio (no files to load). Browsers start audio only after a tap, unless
// the board's browser is started with --autoplay-policy=no-user-gesture-required: unlockAudio()
// is called from a tap to allow it.

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor =
    globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

// From a tap: lets later sounds play. Resolves true when sound can play now.
export async function unlockAudio(): Promise<boolean> {
  const ctx = audioContext();
  if (!ctx) return false;
  if (ctx.state !== 'running') {
    try {
      await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 300))]);
    } catch {
      return false;
    }
  }
  return ctx.state === 'running';
}

export function audioAllowed(): boolean {
  return audioContext()?.state === 'running';
}

interface Tone {
  freq: number;
  start: number; // seconds from now
  length: number;
}

// Plays the tones; resolves when they have ended (at once when sound is not allowed).
async function tones(list: readonly Tone[], volume = 0.3): Promise<void> {
  const ctx = audioContext();
  if (!ctx) return;
  if (ctx.state !== 'running') {
    await Promise.race([ctx.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 200))]);
    if ((ctx.state as AudioContextState) !== 'running') return;
  }
  const t0 = ctx.currentTime + 0.02;
  let end = 0;
  for (const tone of list) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = tone.freq;
    const a = t0 + tone.start;
    const b = a + tone.length;
    gain.gain.setValueAtTime(0.0001, a);
    gain.gain.exponentialRampToValueAtTime(volume, a + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, b);
    osc.connect(gain).connect(ctx.destination);
    osc.start(a);
    osc.stop(b + 0.05);
    end = Math.max(end, tone.start + tone.length);
  }
  await new Promise((r) => setTimeout(r, (end + 0.1) * 1000));
}

// Two short beeps: "it is your turn".
export function beep(): Promise<void> {
  return tones([
    { freq: 880, start: 0, length: 0.18 },
    { freq: 880, start: 0.28, length: 0.18 },
  ]);
}

// Ding-dong before a call on the board.
export function chime(): Promise<void> {
  return tones(
    [
      { freq: 659.25, start: 0, length: 0.45 },
      { freq: 523.25, start: 0.4, length: 0.7 },
    ],
    0.35,
  );
}

export function vibrate(pattern: number[]): void {
  try {
    navigator.vibrate?.(pattern);
  } catch {
    /* not allowed here */
  }
}

export class AutoplayBlocked extends Error {}

// Plays an audio file to its end; AutoplayBlocked when the browser wants a tap first, another
// error when the file cannot be loaded or played.
export function playUrl(url: string, timeoutMs = 20_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const audio = new Audio();
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      audio.onended = audio.onerror = null;
      audio.pause();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(), timeoutMs);
    audio.onended = () => finish();
    audio.onerror = () => finish(new Error('the announcement could not be loaded'));
    audio.src = url;
    audio.play().catch((e: unknown) => {
      const name = (e as { name?: string })?.name;
      finish(name === 'NotAllowedError' ? new AutoplayBlocked() : new Error(String(e)));
    });
  });
}

// The browser's own speech, when the server's recording fails. Resolves when it has spoken.
export function speak(text: string, lang = 'uk-UA'): Promise<void> {
  return new Promise((resolve) => {
    const synth = globalThis.speechSynthesis;
    if (!synth || typeof SpeechSynthesisUtterance === 'undefined') {
      resolve();
      return;
    }
    const u = new SpeechSynthesisUtterance(text);
    u.lang = lang;
    const voice = synth.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang.slice(0, 2)));
    if (voice) u.voice = voice;
    const timer = setTimeout(resolve, 10_000);
    u.onend = u.onerror = () => {
      clearTimeout(timer);
      resolve();
    };
    synth.speak(u);
  });
}
