/**
 * `/static/pages.css`, shared by every public page. The brand colour arrives
 * as `--brand` / `--on-brand` from the page's one inline style block (allowed by its hash).
 */
export const PAGES_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f4f5f7;color:#1b1b1b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.masthead{display:flex;align-items:center;gap:.75rem;padding:.75rem 1rem;background:var(--brand);color:var(--on-brand)}
.masthead .logo{height:40px;width:auto;background:#fff;border-radius:4px;padding:2px}
.org-name{font-weight:700;font-size:1.125rem}
.card{max-width:40rem;margin:1rem auto;padding:1.25rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
label,legend{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],select{width:100%;min-height:44px;padding:.5rem;font:inherit;border:2px solid #555;border-radius:4px}
input[aria-invalid=true]{border-color:#b00020}
fieldset{border:0;margin:0;padding:0}
.choice{display:flex;align-items:center;gap:.5rem;min-height:44px}
.choice input{width:1.25rem;height:1.25rem}
.choice label{font-weight:400;margin:0}
button,.button{display:inline-block;min-height:44px;padding:.6rem 1.2rem;font:inherit;font-weight:600;border-radius:4px;border:2px solid var(--brand);background:#fff;color:#1b1b1b;cursor:pointer;text-decoration:none;margin-top:1rem}
.primary{background:var(--brand);color:var(--on-brand)}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
button[disabled]{opacity:.6;cursor:progress}
.hint{color:#505a5f;font-size:.9rem}
.problem{border:3px solid #b00020;padding:.75rem 1rem;margin:1rem 0}
.problem h2{margin-top:0;font-size:1.1rem}
.problem a{color:#b00020;font-weight:600}
.notice{background:#eef6ee;border-left:5px solid #2e7d32;padding:.5rem .75rem}
.push{border-top:1px solid #ddd;margin-top:1.5rem}
.intro{font-style:italic}
.alert .body img{max-width:100%;height:auto}
.links{padding-left:1.25rem}
.footer{text-align:center;color:#505a5f;font-size:.8rem;padding:1rem}
`;
