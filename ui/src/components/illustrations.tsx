/** Inline pictures (no image files, no network): a card on a reader, a cuff, a glucose meter. */

export function CardReaderPicture() {
  return (
    <svg class="picture" viewBox="0 0 200 140" role="img" aria-label="身份证放在读卡器上">
      <rect x="20" y="88" width="160" height="40" rx="8" fill="#37474f" />
      <rect x="34" y="96" width="132" height="10" rx="3" fill="#90a4ae" />
      <circle cx="160" cy="118" r="5" fill="#66bb6a" />
      <g transform="rotate(-8 100 60)">
        <rect x="45" y="18" width="110" height="70" rx="7" fill="#e3f2fd" stroke="#0d47a1" stroke-width="3" />
        <rect x="56" y="30" width="30" height="38" rx="3" fill="#90caf9" />
        <rect x="94" y="34" width="50" height="6" rx="3" fill="#0d47a1" />
        <rect x="94" y="48" width="40" height="6" rx="3" fill="#1565c0" />
        <rect x="94" y="62" width="50" height="6" rx="3" fill="#1565c0" />
      </g>
      <path d="M100 4 v10 M92 10 l8 8 8 -8" stroke="#0d47a1" stroke-width="4" fill="none" />
    </svg>
  );
}

export function CuffPicture() {
  return (
    <svg class="picture" viewBox="0 0 200 160" role="img" aria-label="袖带套在左上臂">
      <circle cx="100" cy="30" r="20" fill="#ffcc80" />
      <path d="M70 60 q30 -14 60 0 v70 h-60 z" fill="#90caf9" />
      <path
        d="M132 64 q18 4 20 24 v56"
        stroke="#ffcc80"
        stroke-width="16"
        fill="none"
        stroke-linecap="round"
      />
      <path
        d="M68 64 q-18 4 -20 24 v56"
        stroke="#ffcc80"
        stroke-width="16"
        fill="none"
        stroke-linecap="round"
      />
      <rect x="138" y="78" width="28" height="30" rx="5" fill="#1565c0" />
      <path d="M166 92 q20 0 22 30" stroke="#37474f" stroke-width="3" fill="none" />
      <rect x="172" y="122" width="24" height="18" rx="3" fill="#37474f" />
      <text x="152" y="72" font-size="12" text-anchor="middle" fill="#0d47a1">
        左
      </text>
    </svg>
  );
}

export function GlucoseMeterPicture() {
  return (
    <svg class="picture" viewBox="0 0 200 160" role="img" aria-label="试纸插入血糖仪">
      <rect x="60" y="40" width="80" height="110" rx="14" fill="#37474f" />
      <rect x="72" y="54" width="56" height="36" rx="4" fill="#c8e6c9" />
      <text x="100" y="80" font-size="18" text-anchor="middle" fill="#1b5e20">
        5.6
      </text>
      <rect x="92" y="6" width="16" height="40" rx="2" fill="#fff59d" stroke="#f9a825" stroke-width="2" />
      <circle cx="100" cy="14" r="5" fill="#c62828" />
      <circle cx="100" cy="118" r="12" fill="#546e7a" />
    </svg>
  );
}
