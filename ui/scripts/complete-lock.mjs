// Our npm registry mirror serves only some platform builds of packages like rollup,
// so `npm install` leaves the other platforms' optional packages out of
// package-lock.json and `npm ci` then rejects the lock as out of sync. This adds a
// stub entry (version, os, cpu; no tarball) for each missing optional dependency:
// npm ci skips them on a non-matching platform, exactly as with a complete lock.
// Run after any `npm install` that changes the lock: `node scripts/complete-lock.mjs`.

import fs from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pkgs = lock.packages;

const OS = ["android", "darwin", "freebsd", "linux", "openbsd", "openharmony", "win32", "sunos", "aix", "netbsd"];
const CPU = { x64: "x64", arm64: "arm64", arm: "arm", ia32: "ia32", loong64: "loong64", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x" };

/** Reads os/cpu/libc from names such as `@rollup/rollup-linux-arm64-musl`. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p.replace(/eabi(hf)?$/, "")] ?? null).find(Boolean);
  if (!os || !cpu) return null;
  const out = { os: [os], cpu: [cpu] };
  if (parts.includes("musl") || parts.includes("musleabihf")) out.libc = ["musl"];
  else if (os === "linux" && (parts.includes("gnu") || parts.includes("gnueabihf"))) out.libc = ["glibc"];
  return out;
}

let added = 0;
for (const [where, meta] of Object.entries(pkgs)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pkgs[key] || pkgs[`${where}/${key}`]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue; // only exact platform pins
    pkgs[key] = { version: spec, ...(meta.dev ? { dev: true } : {}), license: meta.license, optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lock: added ${added} platform stub(s)`);
