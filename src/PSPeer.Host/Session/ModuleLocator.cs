using System;
using System.Collections.Generic;
using System.IO;

namespace PSPeer.Host.Session
{
    /// <summary>
    /// Finds the built, importable module (out/PSPeer/PSPeer.psd1). The build lays it out beside PSPeer.sln, so we
    /// walk up from where the host runs and from the current directory until we meet the folder holding the
    /// solution. PSPEER_MODULE (a .psd1 file or the folder holding one) overrides the search.
    /// </summary>
    public static class ModuleLocator
    {
        public const string OverrideVariable = "PSPEER_MODULE";
        const string ManifestName = "PSPeer.psd1";

        /// <summary>The manifest's full path, or null with <paramref name="searched"/> listing where we looked.</summary>
        public static string FindManifest(out IReadOnlyList<string> searched)
        {
            var looked = new List<string>();
            searched = looked;

            string overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
            if (!string.IsNullOrWhiteSpace(overridePath))
            {
                string candidate = Directory.Exists(overridePath) ? Path.Combine(overridePath, ManifestName) : overridePath;
                looked.Add(Path.GetFullPath(candidate));
                // An explicit override that points nowhere is a mistake to report, not a reason to guess elsewhere.
                return File.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }

            foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                string root = FindRepoRoot(start);
                if (root == null) continue;
                string candidate = Path.Combine(root, "out", "PSPeer", ManifestName);
                if (!looked.Contains(candidate)) looked.Add(candidate);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>The nearest folder at or above <paramref name="start"/> that holds PSPeer.sln, or null.</summary>
        public static string FindRepoRoot(string start)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PSPeer.sln"))) return dir.FullName;
            }
            return null;
        }
    }
}
