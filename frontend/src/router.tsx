// Every screen is its own chunk, loaded when first visited: the initial
// JavaScript stays small (scripts/compress.mjs checks the budgets).
import { createBrowserRouter } from "react-router";
import { Layout } from "./routes/Layout";
import { RouteError } from "./routes/RouteError";

export const router = createBrowserRouter([
  {
    path: "/signin",
    lazy: async () => ({ Component: (await import("./routes/SignIn")).SignIn }),
    ErrorBoundary: RouteError,
  },
  {
    path: "/signup",
    lazy: async () => ({ Component: (await import("./routes/SignUp")).SignUp }),
    ErrorBoundary: RouteError,
  },
  {
    path: "/",
    Component: Layout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, lazy: async () => ({ Component: (await import("./routes/Tasks")).Tasks }) },
      { path: "inbox", lazy: async () => ({ Component: (await import("./routes/Project")).InboxRoute }) },
      { path: "today", lazy: async () => ({ Component: (await import("./routes/Agenda")).Today }) },
      { path: "upcoming", lazy: async () => ({ Component: (await import("./routes/Agenda")).Upcoming }) },
      { path: "projects/:id", lazy: async () => ({ Component: (await import("./routes/Project")).ProjectRoute }) },
      { path: "tasks/:id", lazy: async () => ({ Component: (await import("./routes/TaskLink")).TaskLink }) },
      { path: "archived", lazy: async () => ({ Component: (await import("./routes/Archived")).Archived }) },
      { path: "settings", lazy: async () => ({ Component: (await import("./routes/Settings")).Settings }) },
      { path: "*", lazy: async () => ({ Component: (await import("./routes/NotFound")).NotFound }) },
    ],
  },
]);
