using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    public class GnutellaOptionsTests
    {
        // A value other than the default for each type of property, to change one property at a time.
        static object Other(PropertyInfo p, object current)
        {
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (type == typeof(int)) return (current as int? ?? 0) + 1;
            if (type == typeof(bool)) return !(current as bool? ?? false);
            if (type == typeof(string)) return (current as string ?? "") + "/other";
            if (type == typeof(TimeSpan)) return (current as TimeSpan? ?? TimeSpan.Zero) + TimeSpan.FromSeconds(1);
            if (type == typeof(GnutellaRole)) return (GnutellaRole)current == GnutellaRole.Leaf ? GnutellaRole.Ultrapeer : GnutellaRole.Leaf;
            if (type == typeof(GnutellaGuid)) return new GnutellaGuid(Enumerable.Range(1, 16).Select(b => (byte)b).ToArray());
            if (type == typeof(IList<HostPort>)) return new List<HostPort> { new HostPort("10.0.0.9", 6346) };
            throw new InvalidOperationException($"GnutellaOptions.{p.Name} is of a type this test cannot vary ({p.PropertyType}): teach it, and SameAs.");
        }

        [Fact]
        public void Options_are_the_same_only_when_every_property_is()
        {
            Assert.True(new GnutellaOptions().SameAs(new GnutellaOptions()));
            Assert.False(new GnutellaOptions().SameAs(null));
            var properties = typeof(GnutellaOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
            Assert.True(properties.Count >= 25);
            foreach (var p in properties)
            {
                var a = new GnutellaOptions();
                var b = new GnutellaOptions();
                p.SetValue(b, Other(p, p.GetValue(b)));
                Assert.False(a.SameAs(b), $"SameAs does not compare GnutellaOptions.{p.Name}");
                Assert.False(b.SameAs(a), $"SameAs does not compare GnutellaOptions.{p.Name}");
                p.SetValue(a, p.GetValue(b));
                Assert.True(a.SameAs(b), $"SameAs tells apart equal values of GnutellaOptions.{p.Name}");
                Assert.Equal(a.ShapeHash(), b.ShapeHash());
            }
        }

        [Fact]
        public void Bootstrap_lists_compare_by_their_hosts_in_order()
        {
            var a = new GnutellaOptions { Bootstrap = new List<HostPort> { new HostPort("10.0.0.1", 1), new HostPort("10.0.0.2", 2) } };
            var b = new GnutellaOptions { Bootstrap = new List<HostPort> { new HostPort("10.0.0.1", 1), new HostPort("10.0.0.2", 2) } };
            var c = new GnutellaOptions { Bootstrap = new List<HostPort> { new HostPort("10.0.0.2", 2), new HostPort("10.0.0.1", 1) } };
            var none = new GnutellaOptions { Bootstrap = null };
            Assert.True(a.SameAs(b));
            Assert.False(a.SameAs(c));
            Assert.True(none.SameAs(new GnutellaOptions()));   // null and empty both mean no bootstrap hosts
        }
    }
}
