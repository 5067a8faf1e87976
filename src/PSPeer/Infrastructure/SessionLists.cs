using System;
using System.Collections.Generic;
using System.Linq;

namespace PSPeer
{
    /// <summary>
    /// Things kept per session (runspace), safe from any thread: what the registries of networks and of dashboards hold.
    /// Reads hand out copies, so callers may stop what they got without holding the lock.
    /// </summary>
    internal sealed class SessionLists<T> where T : class
    {
        readonly object _gate = new object();
        readonly Dictionary<Guid, List<T>> _sessions = new Dictionary<Guid, List<T>>();

        public IReadOnlyList<T> Get(Guid session)
        {
            lock (_gate) return _sessions.TryGetValue(session, out var list) ? list.ToArray() : Array.Empty<T>();
        }

        public void Add(Guid session, T item)
        {
            lock (_gate)
            {
                if (!_sessions.TryGetValue(session, out var list)) _sessions[session] = list = new List<T>();
                list.Add(item);
            }
        }

        /// <summary>Forgets <paramref name="item"/>, whichever session holds it.</summary>
        public void Remove(T item)
        {
            lock (_gate) foreach (var list in _sessions.Values) list.Remove(item);
        }

        /// <summary>Forgets a session's items and returns them (none: empty).</summary>
        public IReadOnlyList<T> TakeSession(Guid session)
        {
            lock (_gate)
            {
                if (!_sessions.TryGetValue(session, out var list)) return Array.Empty<T>();
                _sessions.Remove(session);
                return list;
            }
        }

        /// <summary>Every session's items.</summary>
        public IReadOnlyList<T> All()
        {
            lock (_gate) return _sessions.Values.SelectMany(l => l).ToList();
        }
    }
}
