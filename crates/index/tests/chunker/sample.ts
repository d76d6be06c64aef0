// Routing table, to pin how TypeScript files are chunked.
export interface Route {
  path: string;
  handler: Handler;
}

export type Handler = (req: Request) => Promise<Response>;

enum Method {
  Get = "GET",
  Post = "POST",
}

export abstract class Router {
  protected routes: Route[] = [];

  abstract match(path: string): Route | undefined;

  add(route: Route): this {
    this.routes.push(route);
    return this;
  }
}

namespace Paths {
  export function join(a: string, b: string): string {
    return `${a.replace(/\/$/, "")}/${b.replace(/^\//, "")}`;
  }
}

export const notFound: Handler = async (req) => {
  return new Response("not found", { status: 404 });
};

declare function log(message: string): void;
