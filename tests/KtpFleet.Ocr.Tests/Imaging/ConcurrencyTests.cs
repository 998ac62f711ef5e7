using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>Workers prepare cards on several threads at once: results must not depend on what else is running.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_preparation_gives_the_same_cards_as_sequential()
    {
        var inputs = new[] { "setiawan.jpg", "abdurrahman-hadin.jpg" }.Select(n => File.ReadAllBytes(RepoPaths.Specimen(n))).ToArray();
        var preprocessor = new ImagePreprocessor();
        var expected = inputs.Select(bytes =>
        {
            using var card = preprocessor.Prepare(bytes);
            return (card.Quad, Png: card.Card.EncodePng());
        }).ToArray();

        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            using var card = preprocessor.Prepare(inputs[i % 2]);
            return (Index: i % 2, card.Quad, Png: card.Card.EncodePng());
        }));
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r =>
        {
            Assert.Equal(expected[r.Index].Quad, r.Quad);
            Assert.Equal(expected[r.Index].Png, r.Png);
        });
    }

    [Fact]
    public async Task A_bad_upload_fails_alone_while_good_ones_on_other_threads_succeed()
    {
        var good = File.ReadAllBytes(RepoPaths.Specimen("setiawan.jpg"));
        var bad = good[..(good.Length / 3)];
        var preprocessor = new ImagePreprocessor();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
        {
            try
            {
                using var card = preprocessor.Prepare(i % 3 == 0 ? bad : good);
                return "ok";
            }
            catch (KtpImageException e)
            {
                return e.ErrorCode;
            }
        })));

        Assert.Equal(4, outcomes.Count(o => o == "corrupt"));
        Assert.Equal(8, outcomes.Count(o => o == "ok"));
    }
}
