/**
 * Icons as inline SVG: emoji and dingbats are missing from many system font sets (they showed
 * as empty boxes on a Debian kiosk), and these must never depend on a font.
 */
import type { ComponentChildren } from "preact";

function Icon({ children }: { children: ComponentChildren }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2.6"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  );
}

export const SpeakerIcon = () => (
  <Icon>
    <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
    <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />
  </Icon>
);

export const SpeakerOffIcon = () => (
  <Icon>
    <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
    <path d="M17 9l5 6M22 9l-5 6" />
  </Icon>
);

export const WarningIcon = () => (
  <Icon>
    <path d="M12 3l10 18H2z" />
    <path d="M12 10v5M12 18v.5" />
  </Icon>
);

export const CheckIcon = () => (
  <Icon>
    <path d="M4 12.5l5 5L20 6.5" />
  </Icon>
);

export const CrossIcon = () => (
  <Icon>
    <path d="M6 6l12 12M18 6L6 18" />
  </Icon>
);

export const BackIcon = () => (
  <Icon>
    <path d="M15 4l-8 8 8 8" />
  </Icon>
);

export const BackspaceIcon = () => (
  <Icon>
    <path d="M8 5h13v14H8l-6-7z" />
    <path d="M11.5 9l6 6M17.5 9l-6 6" />
  </Icon>
);

export const BellIcon = () => (
  <Icon>
    <path d="M6 17V11a6 6 0 0 1 12 0v6l2 2H4z" />
    <path d="M10 21h4" />
  </Icon>
);

/** Verdict shapes: each verdict has its own outline, so colour is never the only carrier. */
export const VerdictIcon = ({ verdict }: { verdict: string }) => {
  switch (verdict) {
    case "normal":
      return (
        <Icon>
          <circle cx="12" cy="12" r="9.5" />
          <path d="M7.5 12.5l3 3 6-6.5" />
        </Icon>
      );
    case "raised":
      return (
        <Icon>
          <path d="M12 4v16M6 10l6-6 6 6" />
        </Icon>
      );
    case "high":
      return (
        <Icon>
          <path d="M6 12l6-6 6 6M6 19l6-6 6 6" />
        </Icon>
      );
    default:
      return (
        <Icon>
          <path d="M8 2.5h8l5.5 5.5v8L16 21.5H8L2.5 16V8z" />
          <path d="M12 7v6.5M12 17v.5" />
        </Icon>
      );
  }
};
