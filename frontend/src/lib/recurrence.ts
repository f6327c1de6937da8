import type { Recurrence, Weekday } from "../api/types";

const DAY_NAMES: Record<Weekday, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

/** "every day", "every 2 weeks", "weekdays", "every Mon, Thu", "monthly on the 1st". */
export function describeRecurrence(recurrence: Recurrence): string {
  switch (recurrence.kind) {
    case "every":
      return recurrence.interval === 1
        ? `every ${recurrence.unit}`
        : `every ${recurrence.interval} ${recurrence.unit}s`;
    case "weekdays":
      return "every weekday";
    case "on_weekdays":
      return `every ${recurrence.days.map((d) => DAY_NAMES[d]).join(", ")}`;
    case "month_day":
      return recurrence.interval === 1
        ? `monthly on the ${ordinal(recurrence.day)}`
        : `every ${recurrence.interval} months on the ${ordinal(recurrence.day)}`;
  }
}
