using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Turns event streams into a .NET event (what Register-ObjectEvent subscribes to): the streams are subscribed
    /// while the event has handlers and released when the last one goes. Handlers run off the node's thread for live
    /// nodes (the streams are isolated, see PeerNodeBase.Events); a handler that throws is unsubscribed by the node.
    /// </summary>
    internal sealed class EventRelay
    {
        readonly object _gate = new object();
        readonly Func<IEnumerable<IObservable<PeerEvent>>> _streams;
        readonly object _sender;
        EventHandler<PeerEventArgs> _handlers;
        List<IDisposable> _subscriptions;

        public EventRelay(object sender, Func<IEnumerable<IObservable<PeerEvent>>> streams)
        {
            _sender = sender;
            _streams = streams;
        }

        public void Add(EventHandler<PeerEventArgs> handler)
        {
            if (handler == null) return;
            lock (_gate)
            {
                _handlers += handler;
                if (_subscriptions != null) return;
                _subscriptions = new List<IDisposable>();
                foreach (var stream in _streams()) _subscriptions.Add(stream.Subscribe(Raise, _ => { }, () => { }));
            }
        }

        public void Remove(EventHandler<PeerEventArgs> handler)
        {
            List<IDisposable> release = null;
            lock (_gate)
            {
                _handlers -= handler;
                if (_handlers != null || _subscriptions == null) return;
                release = _subscriptions;
                _subscriptions = null;
            }
            foreach (var s in release) s.Dispose();
        }

        void Raise(PeerEvent e)
        {
            EventHandler<PeerEventArgs> handlers;
            lock (_gate) handlers = _handlers;
            if (handlers == null) return;
            var args = new PeerEventArgs(e);
            foreach (EventHandler<PeerEventArgs> handler in handlers.GetInvocationList())
            {
                // One failing handler is removed; the others, and the node, go on.
                try { handler(_sender, args); }
                catch (Exception) { Remove(handler); }
            }
        }
    }
}
