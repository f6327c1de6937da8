import { Link } from "react-router";

export function NotFound() {
  return (
    <div className="p-6">
      <h1 className="text-xl font-semibold">Nothing here</h1>
      <p className="muted mt-2">This page does not exist.</p>
      <Link className="btn-primary mt-4" to="/">
        Go to my tasks
      </Link>
    </div>
  );
}
