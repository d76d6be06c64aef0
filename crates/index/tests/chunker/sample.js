// Event bus, to pin how JavaScript files are chunked.
import { EventEmitter } from "node:events";

const RETRIES = 3;

export class Bus extends EventEmitter {
  constructor(name) {
    super();
    this.name = name;
  }

  /** Sends to every listener, retrying failures. */
  async publish(topic, payload) {
    for (let i = 0; i < RETRIES; i++) {
      if (this.emit(topic, payload)) return true;
    }
    return false;
  }

  onError = (err) => {
    console.error(this.name, err);
  };
}

export function createBus(name) {
  return new Bus(name);
}

const debounce = (fn, ms) => {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
};

function* ids() {
  let n = 0;
  while (true) yield n++;
}

module.exports = { debounce, ids };
