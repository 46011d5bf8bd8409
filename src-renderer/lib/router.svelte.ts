import { parseRoute, routeHref, type Route } from './routes';

class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseRoute(location.hash);
    });
  }

  navigate(route: Route): void {
    const href = routeHref(route);
    if (location.hash === href) {
      this.route = parseRoute(href);
    } else {
      location.hash = href;
    }
  }
}

export const router = new Router();
