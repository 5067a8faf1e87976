using System;
using System.Text;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Turns a remote file's name into a safe local file name: its last segment only, without control characters,
    /// characters Windows forbids, trailing dots or spaces, dot names or device names. The name comes from another
    /// peer, so it is hostile: the result can never point outside the destination folder.
    /// </summary>
    static class DownloadFileName
    {
        const int MaxLength = 200;
        static readonly string[] DeviceNames = { "CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$" };

        public static string Sanitize(string remoteName, string fallback)
        {
            string name = remoteName ?? "";
            int cut = Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\'));
            if (cut >= 0) name = name.Substring(cut + 1);

            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (c < 0x20 || c == 0x7F || "<>:\"|?*".IndexOf(c) >= 0) sb.Append('_');
                else sb.Append(c);
            }
            name = sb.ToString().TrimEnd('.', ' ').TrimStart(' ');
            if (name.Length > MaxLength) name = name.Substring(name.Length - MaxLength);   // keep the extension
            if (name.Length == 0 || name.Trim('.').Length == 0) name = fallback;
            if (IsDeviceName(name)) name = "_" + name;
            return name;
        }

        static bool IsDeviceName(string name)
        {
            int dot = name.IndexOf('.');
            string stem = (dot < 0 ? name : name.Substring(0, dot)).TrimEnd(' ');
            foreach (var d in DeviceNames) if (string.Equals(stem, d, StringComparison.OrdinalIgnoreCase)) return true;
            if (stem.Length == 4 && (stem.StartsWith("COM", StringComparison.OrdinalIgnoreCase) || stem.StartsWith("LPT", StringComparison.OrdinalIgnoreCase))
                && stem[3] >= '0' && stem[3] <= '9') return true;
            return false;
        }
    }
}
