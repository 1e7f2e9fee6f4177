// Says the calls one after another: a chime, then the server's recording of the call in Ukrainian;
// the browser's own speech when the recording cannot be played. When the browser wants a tap
// before any sound, the queue is dropped (stale calls are not read out later) and the page is told.
// When calls come faster than they can be said (a call takes some 3 s to say), only the latest
// MAX_PENDING wait their turn: the older ones are on the board already and would be read out late.
import type { Announcement } from './state';

export interface AnnouncerDeps {
  chime: () => Promise<void>;
  play: (url: string) => Promise<void>;
  speak: (text: string) => Promise<void>;
  urlOf: (a: Announcement) => string;
  textOf: (a: Announcement) => string;
  isBlocked: (e: unknown) => boolean;
  onBlocked: () => void;
}

export const MAX_PENDING = 4;

export class Announcer {
  private queue: Announcement[] = [];
  private running = false;

  constructor(private readonly deps: AnnouncerDeps) {}

  get pending(): number {
    return this.queue.length;
  }

  add(a: Announcement): Promise<void> {
    this.queue.push(a);
    if (this.queue.length > MAX_PENDING) this.queue.splice(0, this.queue.length - MAX_PENDING);
    return this.run();
  }

  clear(): void {
    this.queue = [];
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        await this.deps.chime();
        try {
          await this.deps.play(this.deps.urlOf(next));
        } catch (e) {
          if (this.deps.isBlocked(e)) {
            this.queue = [];
            this.deps.onBlocked();
            break;
          }
          await this.deps.speak(this.deps.textOf(next));
        }
      }
    } finally {
      this.running = false;
    }
  }
}
