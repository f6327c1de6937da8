// A project's colour: a dot next to its name, and the palette as swatches
// (radio buttons with names, the chosen one marked by more than its colour).
import { useId } from "react";
import { PROJECT_COLORS, type ProjectColor } from "../api/types";

export const COLOR_NAME: Record<ProjectColor, string> = {
  grey: "Grey",
  red: "Red",
  orange: "Orange",
  yellow: "Yellow",
  green: "Green",
  teal: "Teal",
  blue: "Blue",
  purple: "Purple",
  pink: "Pink",
};

const DOT: Record<ProjectColor, string> = {
  grey: "bg-slate-400",
  red: "bg-red-500",
  orange: "bg-orange-500",
  yellow: "bg-yellow-400",
  green: "bg-green-600",
  teal: "bg-teal-500",
  blue: "bg-blue-600",
  purple: "bg-purple-600",
  pink: "bg-pink-500",
};

export function ColorDot({ color, className = "size-2.5" }: { color: ProjectColor; className?: string }) {
  return <span aria-hidden="true" className={`inline-block shrink-0 rounded-full ${(DOT as Partial<Record<string, string>>)[color] ?? DOT.grey} ${className}`} />;
}

export function ColorSwatches({ value, onChange }: { value: ProjectColor; onChange: (color: ProjectColor) => void }) {
  const name = useId();
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium">Colour</legend>
      <div className="flex flex-wrap gap-2">
        {PROJECT_COLORS.map((color) => (
          <label key={color} className="relative cursor-pointer" title={COLOR_NAME[color]}>
            <input
              type="radio"
              name={name}
              value={color}
              checked={value === color}
              onChange={() => onChange(color)}
              className="peer sr-only"
              data-color={color}
            />
            <span
              aria-hidden="true"
              className={`flex size-8 items-center justify-center rounded-full ${DOT[color]} text-white ring-offset-2 ring-offset-white peer-checked:ring-2 peer-checked:ring-slate-900 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-4 peer-focus-visible:outline-indigo-600 dark:ring-offset-slate-900 dark:peer-checked:ring-white dark:peer-focus-visible:outline-indigo-300`}
            >
              {value === color && (
                <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="3" aria-hidden="true" focusable="false">
                  <path d="M5 12l5 5 9-10" />
                </svg>
              )}
            </span>
            <span className="sr-only">{COLOR_NAME[color]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
