/** Small shared pieces: translation hook, big buttons, the screen frame. */
import type { ComponentChildren } from "preact";
import { useModels } from "../context.js";
import { type Lang, type TextKey, t } from "../i18n.js";

export type Translate = (key: TextKey, params?: Record<string, string | number>) => string;

/** The current language and a translate function bound to it (re-renders on toggle). */
export function useT(): { lang: Lang; tr: Translate } {
  const lang = useModels().station.lang.value;
  return { lang, tr: (key, params) => t(lang, key, params) };
}

export interface ButtonProps {
  label: string;
  onPress: () => void;
  variant?: "primary" | "secondary" | "danger" | "quiet";
  disabled?: boolean;
  testId?: string;
  wide?: boolean;
}

export function Button({ label, onPress, variant = "primary", disabled, testId, wide }: ButtonProps) {
  return (
    <button
      type="button"
      class={`btn btn-${variant}${wide ? " btn-wide" : ""}`}
      disabled={disabled}
      data-testid={testId}
      onClick={onPress}
    >
      {label}
    </button>
  );
}

export interface ScreenProps {
  name: string;
  title?: string;
  children?: ComponentChildren;
  /** The main decision: always visible, never scrolled away. */
  actions?: ComponentChildren;
  tone?: "urgent" | "warning";
}

export function Screen({ name, title, children, actions, tone }: ScreenProps) {
  return (
    <section class={`screen${tone ? ` screen-${tone}` : ""}`} data-screen={name}>
      {title ? <h1 class="screen-title">{title}</h1> : null}
      <div class="screen-body">{children}</div>
      {actions ? <div class="screen-actions">{actions}</div> : null}
    </section>
  );
}

/** A fault or notice from the station, in the current language. */
export function NoticeBox({ text, testId }: { text: string; testId?: string }) {
  return (
    <div class="notice" role="alert" data-testid={testId}>
      <span class="notice-icon" aria-hidden="true">
        !
      </span>
      <span>{text}</span>
    </div>
  );
}
