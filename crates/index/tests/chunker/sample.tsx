// A list component, to pin how TSX files are chunked.
import { useState } from "react";

interface Props {
  items: string[];
}

export function ItemList({ items }: Props) {
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <ul>
      {items.map((it) => (
        <li key={it} onClick={() => setSelected(it)}>
          {it === selected ? <b>{it}</b> : it}
        </li>
      ))}
    </ul>
  );
}

export default ItemList;
