import { describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderRoutes } from "../test/render";
import { SignIn } from "./SignIn";
import SuggestionsPanel from "./SuggestionsPanel";

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}


describe("SignIn", () => {
  it("signs in and goes back to where the person was", async () => {
    const fetchMock = vi.fn(() => Promise.resolve(json({ id: "u1", email: "a@example.org", display_name: "A", time_zone: "UTC", week_start: 1, created_at: "" })));
    vi.stubGlobal("fetch", fetchMock);
    const user = userEvent.setup();
    const { router } = renderRoutes("/signin?next=%2F%3Fq%3Dmilk", [
      { path: "/signin", Component: SignIn },
      { path: "/", Component: () => <p>the task list</p> },
    ]);
    await user.type(screen.getByLabelText("Email"), "a@example.org");
    await user.type(screen.getByLabelText("Password"), "secret password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await screen.findByText("the task list");
    expect(router.state.location.search).toBe("?q=milk");
    expect(fetchMock).toHaveBeenCalledWith("/api/auth/signin", expect.objectContaining({ method: "POST" }));
  });

  it("says so when the credentials are wrong, and never leaves for another site", async () => {
    vi.stubGlobal("fetch", vi.fn(() => Promise.resolve(json({ status: 401, detail: "Wrong email or password." }, 401))));
    const user = userEvent.setup();
    renderRoutes("/signin?next=%2F%2Fevil.example", [{ path: "/signin", Component: SignIn }]);
    await user.type(screen.getByLabelText("Email"), "a@example.org");
    await user.type(screen.getByLabelText("Password"), "nope");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong email or password.");
  });
});

describe("SuggestionsPanel", () => {
  it("shows what each suggestion proposes and accepts it", async () => {
    const suggestion = {
      id: 4,
      agent: "prioritization",
      kind: "raise_priority",
      message: "“Renew passport” is due within 48 hours at low priority.",
      action: { set_priority: "high" },
      task_ids: [9],
      status: "pending",
      created_at: "",
      expires_at: "",
    };
    let accepted = false;
    const fetchMock = vi.fn((url: string) => {
      if (url === "/api/suggestions/4/accept") {
        accepted = true;
        return Promise.resolve(json({ suggestion: { ...suggestion, status: "accepted" }, tasks: [] }));
      }
      return Promise.resolve(json({ suggestions: accepted ? [] : [suggestion] }));
    });
    vi.stubGlobal("fetch", fetchMock);
    const user = userEvent.setup();
    renderRoutes("/", [{ path: "/", Component: () => <SuggestionsPanel onClose={() => undefined} /> }]);
    await screen.findByText(suggestion.message);
    expect(screen.getByText("Prioritization")).toBeTruthy();
    expect(screen.getByText("Proposed: Set priority to high")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Accept" }));
    await screen.findByText("No suggestions right now.");
    await waitFor(() => expect(screen.getByText("Done: set priority to high.")).toBeTruthy());
  });
});
