package org.yzt.pipeline;

import java.util.List;
import java.util.Map;
import org.yzt.privacy.Phone;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;

/** The texts of SPEC §6 that the pipeline sends. */
public final class ResultText {
  public static final String SIGNATURE = "【一证通查】";
  public static final String UNAVAILABLE = "暂无法查询";
  public static final String FAILURE = SIGNATURE
      + "您的查询未通过身份核验：手机号码与身份证号码后六位不一致。请核对后于24小时后重新查询。";

  public static final String CARD_FAILURE = SIGNATURE
      + "您的查询未通过身份核验：手机号码与姓名、身份证号码不一致。请核对后于24小时后重新查询。";

  private ResultText() {}

  /**
   * The phone-card result text (SPEC §6): every configured carrier in configured order by its name with
   * its count, or 暂无法查询 for a carrier with no answer (failed for good, or missing at the deadline),
   * then the total of the known counts.
   *
   * @param counts carrier id → card count; a carrier absent from the map has no answer
   */
  public static String cardResult(List<CarrierConfig> carriers, Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder(SIGNATURE).append("您名下登记的电话卡：");
    long total = 0;
    for (CarrierConfig c : carriers) {
      Integer n = counts.get(c.id());
      sb.append(c.name());
      if (n == null) {
        sb.append(UNAVAILABLE);
      } else {
        total += n;
        sb.append(n).append('张');
      }
      sb.append('，');
    }
    if (sb.charAt(sb.length() - 1) == '，') {
      sb.setLength(sb.length() - 1);
    }
    return sb.append("，共").append(total).append("张。如有异议，请携带本人有效身份证件到相应运营商营业厅处理。").toString();
  }

  /**
   * The result text: every configured app in configured order with its count, or 暂无法查询 for the
   * apps of an enterprise with no answer (failed, or missing at the deadline), then the total of the
   * known counts.
   *
   * @param answers enterprise id → (app → count); an enterprise absent from the map has no answer
   */
  public static String result(String phone, List<EnterpriseConfig> enterprises, Map<String, Map<String, Integer>> answers) {
    StringBuilder sb = new StringBuilder(SIGNATURE).append("您的号码").append(Phone.mask(phone)).append("关联的互联网账号：");
    long total = 0;
    boolean first = true;
    for (EnterpriseConfig e : enterprises) {
      Map<String, Integer> counts = answers.get(e.id());
      for (String app : e.apps()) {
        if (!first) {
          sb.append('，');
        }
        first = false;
        sb.append(app);
        if (counts == null) {
          sb.append(UNAVAILABLE);
        } else {
          int n = counts.getOrDefault(app, 0);
          total += n;
          sb.append(n).append('个');
        }
      }
    }
    sb.append("，共").append(total).append("个。如有异议，请在查询页\u201c解绑与明细查询\u201d或拨打企业客服电话处理。");
    return sb.toString();
  }
}
