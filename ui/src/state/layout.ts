// The workbench layout: which side view shows, side bar and panel sizes, the split
// between editor groups. Pure functions over a plain object, so restoring a saved
// layout can validate whatever JSON it finds.

export const SIDE_VIEWS = ["explorer", "search", "ai", "run", "settings"] as const;
export type SideView = (typeof SIDE_VIEWS)[number];
export const PANEL_TABS = ["terminal", "run", "problems", "log"] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

export interface Layout {
  side: { visible: boolean; width: number; view: SideView };
  panel: { visible: boolean; height: number; tab: PanelTab };
  /** Share of the editor width given to the first group when two are open (0..1). */
  split: number;
}

export const SIDE_MIN = 160;
export const SIDE_MAX = 640;
export const PANEL_MIN = 80;
export const PANEL_MAX = 800;

export function defaultLayout(): Layout {
  return {
    side: { visible: true, width: 260, view: "explorer" },
    panel: { visible: false, height: 220, tab: "terminal" },
    split: 0.5,
  };
}

const clamp = (n: unknown, lo: number, hi: number, dflt: number) =>
  typeof n === "number" && Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n * 1000) / 1000)) : dflt;
const oneOf = <T extends string>(v: unknown, list: readonly T[], dflt: T): T => (list.includes(v as T) ? (v as T) : dflt);

/** A valid layout from saved JSON of any shape; unknown or bad fields take defaults. */
export function normalizeLayout(raw: unknown): Layout {
  const d = defaultLayout();
  if (!raw || typeof raw !== "object") return d;
  const r = raw as { side?: Record<string, unknown>; panel?: Record<string, unknown>; split?: unknown };
  return {
    side: {
      visible: typeof r.side?.visible === "boolean" ? r.side.visible : d.side.visible,
      width: clamp(r.side?.width, SIDE_MIN, SIDE_MAX, d.side.width),
      view: oneOf(r.side?.view, SIDE_VIEWS, d.side.view),
    },
    panel: {
      visible: typeof r.panel?.visible === "boolean" ? r.panel.visible : d.panel.visible,
      height: clamp(r.panel?.height, PANEL_MIN, PANEL_MAX, d.panel.height),
      tab: oneOf(r.panel?.tab, PANEL_TABS, d.panel.tab),
    },
    split: clamp(r.split, 0.15, 0.85, d.split),
  };
}

/** Activity bar click: the shown view hides the side bar, any other view shows it. */
export function showSideView(l: Layout, view: SideView): Layout {
  const hide = l.side.visible && l.side.view === view;
  return { ...l, side: { ...l.side, view, visible: !hide } };
}

export function toggleSide(l: Layout): Layout {
  return { ...l, side: { ...l.side, visible: !l.side.visible } };
}

export function resizeSide(l: Layout, width: number): Layout {
  return { ...l, side: { ...l.side, width: clamp(width, SIDE_MIN, SIDE_MAX, l.side.width) } };
}

/** Shows a panel tab; asking for the tab already shown hides the panel (toggle). */
export function showPanel(l: Layout, tab: PanelTab, toggle = false): Layout {
  const hide = toggle && l.panel.visible && l.panel.tab === tab;
  return { ...l, panel: { ...l.panel, tab, visible: !hide } };
}

export function togglePanel(l: Layout): Layout {
  return { ...l, panel: { ...l.panel, visible: !l.panel.visible } };
}

export function resizePanel(l: Layout, height: number): Layout {
  return { ...l, panel: { ...l.panel, height: clamp(height, PANEL_MIN, PANEL_MAX, l.panel.height) } };
}

export function resizeSplit(l: Layout, share: number): Layout {
  return { ...l, split: clamp(share, 0.15, 0.85, l.split) };
}
