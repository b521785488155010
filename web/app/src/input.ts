// Keyboard and mouse state of the game screen, read once per input.

/** Controls tracks the keys held and the mouse over the game's canvas. */
export class Controls {
  /** keys are the KeyboardEvent.code values held (layout independent: "KeyW" is W on QWERTY, Z on AZERTY). */
  readonly keys = new Set<string>();
  /** mouseX and mouseY are the pointer in canvas CSS pixels. */
  mouseX = 0;
  mouseY = 0;
  /** mouseInside says the pointer has been over the canvas. */
  mouseInside = false;
  /** buttons are the mouse buttons held (MouseEvent.buttons). */
  buttons = 0;
  #off: (() => void)[] = [];

  /** new Controls listens on window (keys) and canvas (mouse) until dispose. */
  constructor(canvas: HTMLCanvasElement) {
    const on = <K extends keyof WindowEventMap>(t: Window, type: K, fn: (e: WindowEventMap[K]) => void) => {
      t.addEventListener(type, fn as EventListener);
      this.#off.push(() => t.removeEventListener(type, fn as EventListener));
    };
    const onCanvas = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void) => {
      canvas.addEventListener(type, fn as EventListener);
      this.#off.push(() => canvas.removeEventListener(type, fn as EventListener));
    };
    on(window, "keydown", (e) => {
      if (e.target instanceof HTMLInputElement) return;
      this.keys.add(e.code);
      // Space and the arrows would scroll the page.
      if (e.code === "Space" || e.code.startsWith("Arrow")) e.preventDefault();
    });
    on(window, "keyup", (e) => this.keys.delete(e.code));
    // Keys released while the window had no focus never report keyup.
    on(window, "blur", () => {
      this.keys.clear();
      this.buttons = 0;
    });
    onCanvas("mousemove", (e) => this.#move(canvas, e));
    onCanvas("mousedown", (e) => {
      this.#move(canvas, e);
      this.buttons = e.buttons;
      e.preventDefault();
    });
    on(window, "mouseup", (e) => (this.buttons = e.buttons));
    onCanvas("contextmenu", (e) => e.preventDefault());
  }

  #move(canvas: HTMLCanvasElement, e: MouseEvent): void {
    const r = canvas.getBoundingClientRect();
    this.mouseX = e.clientX - r.left;
    this.mouseY = e.clientY - r.top;
    this.mouseInside = true;
  }

  /** held reports whether any of codes is held. */
  held(...codes: string[]): boolean {
    return codes.some((c) => this.keys.has(c));
  }

  /** axis returns 127 × (positive held − negative held). */
  axis(positive: string[], negative: string[]): number {
    return (this.held(...positive) ? 127 : 0) - (this.held(...negative) ? 127 : 0);
  }

  /** dispose stops listening. */
  dispose(): void {
    for (const off of this.#off) off();
    this.#off = [];
  }
}
