/**
 * Script and HTML injection payloads, used as user names and as message texts by the hostile-input
 * e2e test. Every one of them sets `window.__pwned` (and some also open a dialog) if it ever runs as
 * code; the kit must show each as the exact text it is, and run nothing.
 *
 * Sources of the shapes: the OWASP XSS filter evasion cheat sheet and the classic polyglots (script
 * and event-handler tags, SVG/MathML, iframe srcdoc, javascript: URLs, entity and URL encodings,
 * CSS expressions, template syntaxes of other frameworks), plus control and bidi characters and
 * long strings.
 */

/** What a payload runs if it ever executes. */
const PWN = 'window.__pwned=1';

export const hostilePayloads: readonly string[] = [
  // Script elements
  `<script>${PWN}</script>`,
  `<SCRIPT>${PWN};alert(1)</SCRIPT>`,
  `<script src="data:text/javascript,${PWN}"></script>`,
  `"><script>${PWN}</script>`,
  `'><script>${PWN}</script>`,
  `</textarea><script>${PWN}</script>`,
  `</title></style></div><script>${PWN}</script>`,
  `<scr<script>ipt>${PWN}</scr</script>ipt>`,
  `<script>/*</script><script>*/${PWN}</script>`,
  `<script type="module">${PWN}</script>`,
  // Images and event handlers
  `<img src=x onerror=${PWN}>`,
  `<img src="x" onerror="${PWN};alert(document.domain)">`,
  `<IMG SRC=x ONERROR="${PWN}">`,
  `<img/src=x/onerror=${PWN}>`,
  `<img src=x onerror=eval(atob('${btoa(PWN)}'))>`,
  `<img src=x onerror="&#x77;indow.__pwned=1">`,
  `<body onload=${PWN}>`,
  `<body onpageshow="${PWN};prompt(1)">`,
  `<div onmouseover="${PWN}" style="position:fixed;inset:0">hover me</div>`,
  `<input autofocus onfocus=${PWN}>`,
  `<details open ontoggle=${PWN}>`,
  `<video><source onerror=${PWN}></video>`,
  `<audio src=x onerror=${PWN}>`,
  `<marquee onstart=${PWN}>scrolling</marquee>`,
  `<dialog open><form method=dialog><button autofocus onfocus=${PWN}>x</button></form></dialog>`,
  // SVG and MathML
  `<svg onload=${PWN}>`,
  `<svg><script>${PWN}</script></svg>`,
  `<svg><animate onbegin=${PWN} attributeName=x dur=1s>`,
  `<svg><a xlink:href="javascript:${PWN}"><text y=20>click</text></a></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${PWN}>`,
  // Frames, objects, embeds
  `<iframe srcdoc="<script>parent.${PWN}</script>"></iframe>`,
  `<iframe srcdoc="&lt;img src=x onerror=parent.${PWN}&gt;"></iframe>`,
  `<iframe src="javascript:parent.${PWN}"></iframe>`,
  `<iframe onload=${PWN}></iframe>`,
  `<object data="javascript:${PWN}"></object>`,
  `<embed src="javascript:${PWN}">`,
  // javascript: URLs
  `javascript:${PWN}`,
  `JaVaScRiPt:${PWN};confirm(1)`,
  `<a href="javascript:${PWN}">click me</a>`,
  `<a href="jav&#x09;ascript:${PWN}">tab-split scheme</a>`,
  `<form action="javascript:${PWN}"><button>go</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${PWN}">`,
  `<base href="javascript:${PWN}//">`,
  // CSS
  `<div style="width: expression(${PWN})">css expression</div>`,
  `<style>@import 'javascript:${PWN}';</style>`,
  `<style>*{background:url("javascript:${PWN}")}</style>`,
  `<link rel=stylesheet href="javascript:${PWN}">`,
  // Encodings and entities
  `&lt;script&gt;${PWN}&lt;/script&gt;`,
  `&#60;script&#62;${PWN}&#60;/script&#62;`,
  `&#x3C;img src=x onerror=${PWN}&#x3E;`,
  `%3Cscript%3E${PWN}%3C%2Fscript%3E`,
  `\\u003cscript\\u003e${PWN}\\u003c/script\\u003e`,
  `&amp;lt;script&amp;gt;${PWN}&amp;lt;/script&amp;gt;`,
  // Template syntaxes (this kit's JSX, other frameworks, server templates)
  `\${${PWN}}`,
  `\`\${${PWN}}\``,
  `{{constructor.constructor('${PWN}')()}}`,
  `<%= ${PWN} %>`,
  `{${PWN}}`,
  `{"__proto__":{"polluted":1},"x":"<script>${PWN}</script>"}`,
  // Parser tricks
  `<!--<img src="--><img src=x onerror=${PWN}//">`,
  `<![CDATA[<script>${PWN}</script>]]>`,
  `<?xml version="1.0"?><script>${PWN}</script>`,
  `<noscript><p title="</noscript><img src=x onerror=${PWN}>">`,
  `<template><script>${PWN}</script></template>`,
  `<xmp><img src=x onerror=${PWN}></xmp>`,
  `<plaintext><script>${PWN}</script>`,
  // Control characters, null bytes, bidi and zero-width characters
  `<script>${PWN}</script>\u0000<img src=x onerror=${PWN}>`,
  `<scr\u0000ipt>${PWN}</scr\u0000ipt>`,
  `\u202E<script>${PWN}</script>`,
  `\u202Egnp.exe<img src=x onerror=${PWN}>`,
  `\u2067<svg onload=${PWN}>\u2069`,
  `\u200B<script>\u200B${PWN}</script>\u200B`,
  `line 1\n<script>${PWN}</script>\nline 3`,
  `\r\n\t<img src=x onerror=${PWN}>\t\r\n`,
  `\u0007\u001b[31m<script>${PWN}</script>\u001b[0m`,
  // Long strings (the server's limit is 2000 UTF-16 code units per text, 64 code points per name)
  `${'A'.repeat(1900)}<img src=x onerror=${PWN}>`,
  `<img src=x onerror=${PWN}>`.repeat(50),
  `<script>${PWN}</script>`.repeat(60),
];
