import { describe, expect, it } from "vitest";
import { defaultLayout, normalizeLayout, resizePanel, resizeSide, showPanel, showSideView, toggleSide } from "./layout";

describe("layout", () => {
  it("toggles the side bar from the activity bar", () => {
    let l = defaultLayout();
    l = showSideView(l, "explorer");
    expect(l.side.visible).toBe(false);
    l = showSideView(l, "search");
    expect(l.side).toMatchObject({ visible: true, view: "search" });
    l = showSideView(l, "settings");
    expect(l.side).toMatchObject({ visible: true, view: "settings" });
    expect(toggleSide(l).side.visible).toBe(false);
  });

  it("clamps sizes", () => {
    expect(resizeSide(defaultLayout(), 5).side.width).toBe(160);
    expect(resizeSide(defaultLayout(), 5000).side.width).toBe(640);
    expect(resizePanel(defaultLayout(), 300).panel.height).toBe(300);
  });

  it("shows and toggles panel tabs", () => {
    let l = showPanel(defaultLayout(), "problems");
    expect(l.panel).toMatchObject({ visible: true, tab: "problems" });
    l = showPanel(l, "problems", true);
    expect(l.panel.visible).toBe(false);
  });

  it("normalizes saved JSON of any shape", () => {
    expect(normalizeLayout(null)).toEqual(defaultLayout());
    expect(normalizeLayout({ side: { width: "wide", view: "bogus", visible: false }, panel: { height: 9999, tab: "log" }, split: 2 })).toEqual({
      side: { visible: false, width: 260, view: "explorer" },
      panel: { visible: false, height: 800, tab: "log" },
      split: 0.85,
    });
  });
});
