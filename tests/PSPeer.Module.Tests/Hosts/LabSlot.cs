using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>
    /// One running lab's claim on the machine-wide names it makes. Network namespace names are global to the machine,
    /// so two test runs (or a test and examples/nat-lab.ps1) at once must not make, or sweep, the same ones. A lab
    /// claims a slot number by holding an exclusive lock on <c>/run/pspeer-labs/slot-N.lock</c> for as long as it
    /// lives, and names everything it makes after that number (<c>pspeer-N-pub1</c>, <c>p9-N-wan</c>).
    /// </summary>
    /// <remarks>
    /// The lock is what says whether the owner is alive: .NET takes FileShare.None on Linux as flock(LOCK_EX), which
    /// the kernel drops the moment the owning process dies, however it dies; a reused process id cannot fool it, and
    /// two labs in one process hold two different slots. So a sweep may remove the names of a slot exactly when it can
    /// take that slot's lock itself: its owner is gone. The owner's process id is written into the file for people.
    /// /run is emptied at boot, as are the namespaces the locks speak for. examples/nat-lab.ps1 follows the same rule.
    /// </remarks>
    public sealed class LabSlot : IDisposable
    {
        public const string LockFolder = "/run/pspeer-labs";
        public const string NamespacePrefix = "pspeer-";
        /// <summary>At most this many labs at once on one machine (slots 1..Count; a 198.18.N.0/24 each where a lab needs one).</summary>
        public const int Count = 250;

        static readonly Regex Owned = new Regex("^" + Regex.Escape(NamespacePrefix) + @"(\d+)-");
        readonly FileStream _lock;

        LabSlot(int number, FileStream held)
        {
            Number = number;
            _lock = held;
        }

        public int Number { get; }

        /// <summary>The machine-wide name of this lab's host <paramref name="host"/> (a network namespace).</summary>
        public string Namespace(string host) => NamespaceOf(Number, host);

        /// <summary>The name slot <paramref name="slot"/>'s lab gives its host <paramref name="host"/>.</summary>
        public static string NamespaceOf(int slot, string host) => NamespacePrefix + slot + "-" + host;

        /// <summary>The slot whose lab made namespace <paramref name="name"/>, or null when no lab of this scheme did.</summary>
        public static int? OwnerOf(string name)
        {
            var m = Owned.Match(name);
            return m.Success && int.TryParse(m.Groups[1].Value, out int n) ? n : (int?)null;
        }

        /// <summary>Claims the lowest free slot; throws when all <see cref="Count"/> are held.</summary>
        public static LabSlot Claim()
        {
            for (int n = 1; n <= Count; n++)
            {
                var slot = TryClaim(n);
                if (slot != null) return slot;
            }
            throw new InvalidOperationException($"All {Count} lab slots under {LockFolder} are held by running labs.");
        }

        /// <summary>Slot <paramref name="number"/> if nobody alive holds it (a dead owner's lock is gone with it); else null.</summary>
        public static LabSlot TryClaim(int number)
        {
            Directory.CreateDirectory(LockFolder);
            FileStream held;
            try
            {
                held = new FileStream(Path.Combine(LockFolder, "slot-" + number + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) { return null; }   // held by a live lab
            held.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
            held.Write(pid, 0, pid.Length);
            held.Flush();
            return new LabSlot(number, held);
        }

        /// <summary>
        /// Of <paramref name="names"/> (the machine's namespaces), those made by dead labs, grouped by their slot, each
        /// with that slot claimed so that no new lab takes it while they are removed: dispose each claim afterwards.
        /// Slots held by live labs, and names of no lab of this scheme, are left alone.
        /// </summary>
        public static List<(LabSlot Claim, List<string> Names)> ClaimDead(IEnumerable<string> names, int except)
        {
            var dead = new List<(LabSlot, List<string>)>();
            foreach (var group in names.Select(n => (Name: n, Slot: OwnerOf(n))).Where(x => x.Slot.HasValue && x.Slot != except).GroupBy(x => x.Slot.Value))
            {
                var claim = TryClaim(group.Key);
                if (claim != null) dead.Add((claim, group.Select(x => x.Name).ToList()));
            }
            return dead;
        }

        public void Dispose() => _lock.Dispose();
    }
}
