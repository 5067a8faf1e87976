using System;
using System.Linq;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    /// <summary>PeerEventTypes.All is the one list of event type names (-Type completion and validation read it).</summary>
    public class PeerEventTypesTests
    {
        [Fact]
        public void All_lists_every_declared_type_once_in_the_order_declared()
        {
            Assert.Equal(PeerEventTypes.All.Length, PeerEventTypes.All.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal(PeerEventTypes.NodeStarted, PeerEventTypes.All[0]);
            // Types the hand-kept array once lacked or that came late: the list knows them without being told.
            foreach (var type in new[] { PeerEventTypes.PeerEvicted, PeerEventTypes.LinkEvicted, PeerEventTypes.NotReachedFromOutside, PeerEventTypes.NodeSuspected })
                Assert.Contains(type, PeerEventTypes.All);
            Assert.DoesNotContain(PeerEventTypes.All, string.IsNullOrEmpty);
            Assert.True(PeerEventTypes.All.Length >= 50, "the types: " + string.Join(", ", PeerEventTypes.All));
        }
    }
}
