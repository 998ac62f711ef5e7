using FsCheck;
using FsCheck.Fluent;

namespace KtpFleet.Ocr.Tests.Parsing;

/// <summary>Runs an FsCheck property inside an xunit test; a counter-example fails the test with its shrunk value.</summary>
internal static class PropertyCheck
{
    public static void Holds<T>(Gen<T> gen, Func<T, bool> property, int maxTest = 300) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true), Prop.ForAll(gen.ToArbitrary(), property));
}
