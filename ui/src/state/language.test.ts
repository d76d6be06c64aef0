import { describe, expect, it } from "vitest";
import { knownLanguages, languageFor } from "./language";

describe("languageFor", () => {
  it("detects by name then extension, like aura-core", () => {
    expect(languageFor("src/main.rs")).toBe("rust");
    expect(languageFor("App.TSX")).toBe("typescript");
    expect(languageFor("docker/Dockerfile")).toBe("dockerfile");
    expect(languageFor("Cargo.toml")).toBe("ini");
    expect(languageFor("README")).toBe("plaintext");
    expect(languageFor("a.weird")).toBe("plaintext");
  });

  it("covers at least 20 languages", () => {
    expect(knownLanguages().length).toBeGreaterThanOrEqual(20);
  });
});
