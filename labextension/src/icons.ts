/**
 * The icons of the Launcher cards and commands: our own drawings, in the theme's icon
 * colour (`jp-icon3`), so they follow light and dark themes.
 */

/** The session workbook: a page with a person's head and shoulders. */
export const sessionSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M6 2h9l4 4v16H6zm1.5 1.5v17h10V6.6L14.4 3.5z"/>
    <circle cx="12.5" cy="10" r="2.3"/>
    <path d="M8.6 17.5c.4-2.4 2-3.7 3.9-3.7s3.5 1.3 3.9 3.7z"/>
  </g>
</svg>`;

/** The case review: two overlapping circles, the client's and the therapist's view. */
export const caseReviewSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M9 5a7 7 0 1 0 0 14A7 7 0 0 0 9 5zm0 1.6a5.4 5.4 0 1 1 0 10.8A5.4 5.4 0 0 1 9 6.6z"/>
    <path d="M15 5a7 7 0 1 0 0 14A7 7 0 0 0 15 5zm0 1.6a5.4 5.4 0 1 1 0 10.8 5.4 5.4 0 0 1 0-10.8z"/>
  </g>
</svg>`;

/** The caseload: bars of a chart over a baseline. */
export const caseloadSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M3 20h18v1.6H3z"/>
    <path d="M5 12h3v7H5zM10.5 7h3v12h-3zM16 10h3v9h-3z"/>
  </g>
</svg>`;

/** Verify review: a shield with a tick. */
export const verifySvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5zm0 1.7 6.4 2.4V11c0 4.1-2.7 7.8-6.4 9.3-3.7-1.5-6.4-5.2-6.4-9.3V6.1z"/>
    <path d="m10.6 15.2-3-3 1.1-1.1 1.9 1.9 4.6-4.6 1.1 1.1z"/>
  </g>
</svg>`;
