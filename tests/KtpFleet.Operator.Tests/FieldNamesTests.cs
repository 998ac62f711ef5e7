using KtpFleet.Ocr.Results;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Tests;

/// <summary>
/// The operator keeps its own copy of the result field names (so its image does not carry the OCR library); the CRD
/// validates tenant thresholds against it, so it must not drift from the worker's.
/// </summary>
public sealed class FieldNamesTests
{
    [Fact]
    public void The_operators_field_names_are_the_result_documents() =>
        Assert.Equal(KtpField.All.Order(), KtpFields.All.Order());
}
