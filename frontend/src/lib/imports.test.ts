import { describe, expect, it } from "vitest";
import { makeImport } from "../test/fixtures";
import { doneSentence, located, MAX_IMPORT_BYTES, previewSentence, progressText, tooLarge } from "./imports";

describe("the preview sentence", () => {
  it("counts in the plural, every number even when 0", () => {
    expect(previewSentence(makeImport({}, { tasks: 312, projects: 4, recurring: 12, not_understood_count: 3 }).preview)).toBe(
      "312 tasks in 4 projects, 12 recurring, 3 lines not understood",
    );
    expect(previewSentence(makeImport({}, { tasks: 0, projects: 0, recurring: 0, not_understood_count: 0 }).preview)).toBe(
      "0 tasks in 0 projects, 0 recurring, 0 lines not understood",
    );
  });

  it("counts one in the singular", () => {
    expect(previewSentence(makeImport({}, { tasks: 1, projects: 1, recurring: 0, not_understood_count: 0 }).preview)).toBe(
      "1 task in 1 project, 0 recurring, 0 lines not understood",
    );
    expect(previewSentence(makeImport({}, { tasks: 2, projects: 1, recurring: 1, not_understood_count: 1 }).preview)).toBe(
      "2 tasks in 1 project, 1 recurring, 1 line not understood",
    );
  });
});

describe("a job in words", () => {
  it("says it waits, then how far it got, then what it did", () => {
    expect(progressText(makeImport({ status: "queued", progress: { processed: 0, total: 312 } }))).toBe("Waiting to start…");
    expect(progressText(makeImport({ status: "running", progress: { processed: 120, total: 312 } }))).toBe("120 of 312 tasks");
    expect(progressText(makeImport({ status: "running", progress: { processed: 0, total: 1 } }))).toBe("0 of 1 task");
    const counts = (tasks: number) => ({ tasks, projects: 0, sections: 0 });
    expect(doneSentence(makeImport({ status: "done", result: { created: counts(300), already_there: counts(12) } }))).toBe(
      "Imported 300 tasks, 12 were already there.",
    );
    expect(doneSentence(makeImport({ status: "done", result: { created: counts(1), already_there: counts(1) } }))).toBe(
      "Imported 1 task, 1 was already there.",
    );
  });

  it("places a problem at its line and component", () => {
    expect(located("The date is not understood.", 7)).toBe("Line 7: The date is not understood.");
    expect(located("No SUMMARY.", 12, "VTODO UID:abc")).toBe("Line 12 (VTODO UID:abc): No SUMMARY.");
    expect(located("No SUMMARY.", null, "VTODO UID:abc")).toBe("VTODO UID:abc: No SUMMARY.");
    expect(located("Not a file Taskspin imports.")).toBe("Not a file Taskspin imports.");
  });

  it("refuses files over 20 MB before they are sent", () => {
    expect(tooLarge({ name: "a.csv", size: MAX_IMPORT_BYTES })).toBeNull();
    expect(tooLarge({ name: "big.ics", size: 25 * 1024 * 1024 })).toBe("“big.ics” is 25.0 MB: the largest file Taskspin imports is 20 MB.");
  });
});
