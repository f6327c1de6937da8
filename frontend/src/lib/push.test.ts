import { describe, expect, it } from "vitest";
import { applicationServerKey, base64UrlToBytes, deviceName, PushSetupError, sameBytes } from "./push";

describe("base64url", () => {
  it("decodes with and without padding, with the URL-safe letters", () => {
    expect([...base64UrlToBytes("")]).toEqual([]);
    expect([...base64UrlToBytes("AQ")]).toEqual([1]);
    expect([...base64UrlToBytes("AQ==")]).toEqual([1]);
    expect([...base64UrlToBytes("AQI")]).toEqual([1, 2]);
    expect([...base64UrlToBytes("AQID")]).toEqual([1, 2, 3]);
    // - and _ stand for + and /: 0xfb 0xff 0xbf is "-_-_" in base64url, "+/+/" in base64.
    expect([...base64UrlToBytes("-_-_")]).toEqual([0xfb, 0xff, 0xbf]);
    expect(new TextDecoder().decode(base64UrlToBytes("VGFza3NwaW4"))).toBe("Taskspin");
  });

  it("refuses what is not base64url", () => {
    expect(() => base64UrlToBytes("+/+/")).toThrow();
    expect(() => base64UrlToBytes("a b")).toThrow();
    expect(() => base64UrlToBytes("A")).toThrow();
    expect(() => base64UrlToBytes("AQ===")).toThrow();
  });

  it("takes a server key only as a 65-byte uncompressed P-256 point", () => {
    const point = new Uint8Array(65).fill(7);
    point[0] = 4;
    const encoded = btoa(String.fromCharCode(...point)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(encoded).toHaveLength(87);
    const key = applicationServerKey(encoded);
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4);
    expect(sameBytes(key.buffer, point)).toBe(true);
    expect(sameBytes(new Uint8Array(65).buffer, point)).toBe(false);
    expect(sameBytes(null, point)).toBe(false);
    // Compressed (33 bytes), or not starting with 0x04, or not base64url at all.
    expect(() => applicationServerKey(encoded.slice(0, 44))).toThrow(PushSetupError);
    expect(() => applicationServerKey(`A${encoded.slice(1)}`)).toThrow(PushSetupError);
    expect(() => applicationServerKey("not a key!")).toThrow("The server's push key is not valid.");
  });
});

describe("device names", () => {
  const cases: [string, string][] = [
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Linux"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Headless Chrome on Linux"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0.6099.71 Chrome/120.0.6099.71 Safari/537.36", "Chromium on Linux"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari on macOS"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera on macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iPhone"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome on iPhone"],
    ["Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15", "Firefox on iPad"],
    ["Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"],
    ["Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on ChromeOS"],
    ["Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"],
  ];
  it.each(cases)("%s is %s", (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name);
  });

  it("falls back to what it knows", () => {
    expect(deviceName("Mozilla/5.0 (X11; Linux x86_64) SomeBrowser/1.0")).toBe("A browser on Linux");
    expect(deviceName("curl/8.5.0")).toBe("A web browser");
    expect(deviceName("")).toBe("A web browser");
  });
});
