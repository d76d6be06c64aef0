import { describe, expect, it } from "vitest";
import type { Result } from "./bindings";
import { IpcError, isCode, toIpcError, unwrapAll } from "./index";

type E = { code: "NotFound" | "Conflict"; message: string };

const fake = {
  async ok(n: number): Promise<Result<number, E>> {
    return { status: "ok", data: n * 2 };
  },
  async fails(): Promise<Result<number, E>> {
    return { status: "error", error: { code: "NotFound", message: "no such folder: /x" } };
  },
  async okNull(): Promise<Result<null, E>> {
    return { status: "ok", data: null };
  },
  async throwsError(): Promise<Result<number, E>> {
    throw new Error("command fs_nope not found");
  },
  async throwsRaw(): Promise<Result<number, E>> {
    throw { code: "Conflict", message: "changed" };
  },
  async bare(): Promise<string> {
    return "plain";
  },
};

describe("unwrapAll", () => {
  const api = unwrapAll(fake);

  it("returns the data of an ok result", async () => {
    await expect(api.ok(21)).resolves.toBe(42);
    await expect(api.okNull()).resolves.toBeNull();
    await expect(api.bare()).resolves.toBe("plain");
  });

  it("throws a typed IpcError carrying the backend's code", async () => {
    const err = await api.fails().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe("NotFound");
    expect((err as IpcError).message).toBe("no such folder: /x");
    expect(isCode(err, "NotFound")).toBe(true);
    expect(isCode(err, "Conflict")).toBe(false);
  });

  it("maps thrown values to IpcError too", async () => {
    await expect(api.throwsRaw()).rejects.toMatchObject({ code: "Conflict", message: "changed" });
    await expect(api.throwsError()).rejects.toMatchObject({ code: "Internal", message: "command fs_nope not found" });
  });
});

describe("toIpcError", () => {
  it("treats strings and odd values as Internal", () => {
    expect(toIpcError("boom")).toMatchObject({ code: "Internal", message: "boom" });
    expect(toIpcError({ weird: 1 }).code).toBe("Internal");
    const same = new IpcError("Binary", "b");
    expect(toIpcError(same)).toBe(same);
  });
});
