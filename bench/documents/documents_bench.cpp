// Printed forms benchmark (Google Benchmark): inventory receipts rendered per second, next to an
// anchor measured in the same run, a one-paragraph A4 PDF (the fixed cost of a PDF: two Cairo
// surfaces, fonts embedded, one page). The ratio says what a receipt's tables, QR code and
// signature lines cost beyond that; a spreadsheet of a report is measured the same way.
// Usage: documents_bench [--benchmark_filter=...]   (a few seconds)
#include "cases/forms.hpp"
#include "documents/pdf.hpp"
#include "documents/xlsx.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace vikno;

cases::Case receipt_case(int lines) {
  cases::Case c;
  c.number = "cnap-kr-2026-000123";
  c.service_title = "Державна реєстрація народження з видачею свідоцтва";
  c.provider_name = "Відділ державної реєстрації актів цивільного стану";
  c.registered_on = "2026-12-03";
  c.hand_over_due = "2026-12-04";
  c.due_on = "2026-12-17";
  c.term.days = 10;
  c.term.unit = calendar::TermUnit::working_days;
  c.fee_kopiykas = 8500;
  c.fee_paid = true;
  c.applicant_initials = "Т. Ш.";
  for (int i = 1; i <= lines; ++i) {
    c.inventory.push_back({i, "Документ, що посвідчує особу, № " + std::to_string(i), true,
                           i % 2 == 0 ? cases::DocumentForm::copy : cases::DocumentForm::original,
                           cases::DocumentMedium::paper, 1 + i % 3, i % 5 != 0,
                           i % 5 == 0 ? "буде подано пізніше" : ""});
  }
  return c;
}

cases::Applicant applicant() {
  cases::Applicant a;
  a.name = "Шевченко Тарас Григорович";
  a.phone = "+380671234567";
  a.consent = {cases::NotifyChannel::sms};
  return a;
}

cases::FormContext context() {
  cases::FormContext ctx;
  ctx.center_name = "ЦНАП м. Кропивницького";
  ctx.center_address = "вул. Велика Перспективна, 41";
  ctx.center_hours = "пн–пт 8:00–17:00";
  ctx.tracking_url = "https://cnap.example/c/ABCDEFGHJKMNPQRS";
  ctx.registered_by = "Бондаренко Андрій";
  ctx.today = "2026-12-03";
  return ctx;
}

void render(benchmark::State& state, const documents::Document& doc) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = documents::render_pdf(doc);
    if (!pdf) {
      state.SkipWithError(pdf.error().message.c_str());
      return;
    }
    bytes = pdf->size();
    benchmark::DoNotOptimize(pdf->data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pdf_kb"] = static_cast<double>(bytes) / 1024.0;
}

void anchor_one_paragraph(benchmark::State& state) {
  documents::Document doc;
  doc.blocks.emplace_back(documents::paragraph("Один абзац тексту українською мовою на сторінці A4."));
  render(state, doc);
}

void receipt(benchmark::State& state) {
  render(state, cases::inventory_receipt(receipt_case(static_cast<int>(state.range(0))), applicant(), context()));
}

void xlsx_report(benchmark::State& state) {
  documents::Sheet sheet;
  sheet.name = "Дисципліна";
  sheet.header = {"Суб'єкт надання", "Послуга", "У роботі", "Прострочено", "Частка, %"};
  sheet.widths = {40, 50, 10, 12, 10};
  for (int i = 0; i < state.range(0); ++i) {
    sheet.rows.push_back({{std::string("Відділ ") + std::to_string(i % 20)},
                          {std::string("Послуга ") + std::to_string(i)},
                          {std::int64_t{i % 13}},
                          {std::int64_t{i % 3}},
                          {static_cast<double>(i % 100) / 7.0}});
  }
  const std::vector<documents::Sheet> sheets{sheet};
  for (auto _ : state) {
    auto xlsx = documents::render_xlsx(sheets);
    if (!xlsx) {
      state.SkipWithError(xlsx.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(xlsx->data());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(anchor_one_paragraph)->Name("anchor: one-paragraph PDF")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(receipt)->Name("receipt PDF, 5 lines")->Arg(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(receipt)->Name("receipt PDF, 80 lines")->Arg(80)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(xlsx_report)->Name("xlsx report, 200 rows")->Arg(200)->Unit(benchmark::kMillisecond)->UseRealTime();

// Keeps each benchmark's documents per second, for the summary beside the anchor.
class Collector : public benchmark::ConsoleReporter {
public:
  Collector() : ConsoleReporter(isatty(STDOUT_FILENO) != 0 ? OO_ColorTabular : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        const double seconds = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
        std::string name = run.benchmark_name();
        name = name.substr(0, name.find('/')); // without "/5/real_time"
        per_second[name] = seconds > 0 ? 1.0 / seconds : 0.0;
        order.push_back(name);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> per_second;
  std::vector<std::string> order;
};

} // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::Shutdown();

  const std::string anchor = "anchor: one-paragraph PDF";
  const auto found = collector.per_second.find(anchor);
  const double base = found == collector.per_second.end() ? 0.0 : found->second;
  std::printf("\n=== printed forms (one thread) ===\n%-40s %12s %14s\n", "figure", "per second", "of the anchor");
  for (const std::string& name : collector.order) {
    const double rate = collector.per_second[name];
    std::printf("%-40s %12.1f %13.0f%%\n", name.c_str(), rate, base > 0 ? 100.0 * rate / base : 0.0);
  }
  return 0;
}
